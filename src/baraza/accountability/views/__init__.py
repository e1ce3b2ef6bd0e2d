"""Accountability pages, NetBox-style one module per area: `public` (the transparency report
as a page, CSV and PDF; open data; the dashboard: no login) and `referrals` (the secretariat's
and platform liaisons' referral pages)."""
