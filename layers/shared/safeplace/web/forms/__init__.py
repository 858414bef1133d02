"""Every form the pages post, one class each, in the module of its feature.

A route calls `Form().parse(body)` and gets a Result: the model for the use case, or problems by
field id in page order with the values to show again. `Form().show(saved)` fills a page that has not
been posted. Date inputs post <name>-day, <name>-month and <name>-year.
"""
