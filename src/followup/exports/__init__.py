"""What followup writes for other programs and for safe keeping: the JSON backup
(`backup`, read back by `import`), the calendar (`calendar`) and the spreadsheet
(`spreadsheet`). The command line only picks one and says where it went.

Each module is imported on its own by `export` and `import`, so that a format's
libraries (icalendar for the calendar) are paid for only when it is used.
"""
