"""The portal's date and time formats, over Django's for each language.

Every time staff and startups read carries its zone ("2026-12-02 10:29 KST"), wherever
Django formats one (the admin's lists, change pages, history; the `date` filter without a
format). Dates stay as Django writes them in each language.
"""
