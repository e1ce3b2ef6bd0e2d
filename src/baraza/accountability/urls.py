from django.urls import path

from baraza.accountability import referral_views, views

public_urls = [
    path("transparency/", views.transparency_page, name="transparency"),
    path("transparency/rows.csv", views.transparency_rows_csv, name="transparency-rows-csv"),
    path(
        "transparency/disparity.csv",
        views.transparency_disparity_csv,
        name="transparency-disparity-csv",
    ),
    path("transparency/report.pdf", views.transparency_pdf, name="transparency-pdf"),
    path("open-data/", views.open_data_page, name="open-data"),
    path("open-data/cases.csv", views.open_data_csv, name="open-data-csv"),
    path("open-data/cases.jsonl", views.open_data_jsonl, name="open-data-jsonl"),
    path("open-data/cases.parquet", views.open_data_parquet, name="open-data-parquet"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
]
referral_urls = [
    path("", referral_views.referral_list, name="referral-list"),
    path("<int:referral_id>/", referral_views.referral_page, name="referral-page"),
    path("<int:referral_id>/respond/", referral_views.respond, name="referral-respond"),
    path("case/<int:case_id>/", referral_views.case_referrals, name="case-referrals"),
]
