#!/usr/bin/env python3
"""A seeded HubSpot-style contacts export: bench/hubspot_gen.py ROWS SEED > contacts.csv

Columns as HubSpot names them; values drawn from fixed lists so every run with the same seed
writes the same file (about 140 bytes a row)."""
import random
import sys

rows, seed = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
sources = ["Paid Search", "Organic Search", "Paid Social", "Email Marketing", "Referrals", "Direct Traffic", "Offline Sources"]
details = ["google / brand", "google / generic", "linkedin / ebook", "newsletter", "partner", "", "SaaS Connect"]
offers = ["Demo request", "Pricing guide", "State of B2B pipeline ebook", "Pipeline assessment", "Webinar: forecasting", "Free trial"]
campaigns = ["Brand search", "Pipeline forecasting", "Ebook Q3", "SaaS Connect", "Customer referral", "Forecasting webinar", ""]
stages = ["Lead", "Lead", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"]
statuses = ["New", "Open", "In Progress", "Connected", "Unqualified", "Bad Timing", "Open Deal", ""]
owners = ["Sam Okafor", "Dana Whitfield", "Lee Park", ""]
first = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
last = ["Silva", "Novak", "Okafor", "Park", "Meyer", "Rossi", "Kim", "Haddad"]
out = sys.stdout
out.write("Record ID,First Name,Last Name,Email,Create Date,Lifecycle Stage,Lead Status,Original Source,"
          "Original Source Drill-Down 1,First Conversion,Campaign,Contact owner,Total Revenue\n")
for i in range(rows):
    f, l = r.choice(first), r.choice(last)
    s = r.randrange(len(sources))
    stage = r.choice(stages)
    revenue = f"{r.randrange(5, 60) * 1000}.00" if stage == "Customer" else ""
    out.write(f"{1000000 + i},{f},{l},{f.lower()}.{l.lower()}{i}@example.com,"
              f"2026-{r.randrange(1, 12):02d}-{r.randrange(1, 29):02d} {r.randrange(0, 24):02d}:{r.randrange(0, 60):02d},"
              f"{stage},{r.choice(statuses)},{sources[s]},{details[s]},{r.choice(offers)},{r.choice(campaigns)},"
              f"{r.choice(owners)},{revenue}\n")
