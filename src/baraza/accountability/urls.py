from django.urls import path

from baraza.accountability.views import public, referrals

public_urls = [
    path("transparency/", public.transparency_page, name="transparency"),
    path("transparency/rows.csv", public.transparency_rows_csv, name="transparency-rows-csv"),
    path(
        "transparency/disparity.csv",
        public.transparency_disparity_csv,
        name="transparency-disparity-csv",
    ),
    path("transparency/report.pdf", public.transparency_pdf, name="transparency-pdf"),
    path("open-data/", public.open_data_page, name="open-data"),
    path("open-data/cases.csv", public.open_data_csv, name="open-data-csv"),
    path("open-data/cases.jsonl", public.open_data_jsonl, name="open-data-jsonl"),
    path("open-data/cases.parquet", public.open_data_parquet, name="open-data-parquet"),
    path("dashboard/", public.dashboard_page, name="dashboard"),
]
referral_urls = [
    path("", referrals.referral_list, name="referral-list"),
    path("<int:referral_id>/", referrals.referral_page, name="referral-page"),
    path("<int:referral_id>/respond/", referrals.respond, name="referral-respond"),
    path("case/<int:case_id>/", referrals.case_referrals, name="case-referrals"),
]
