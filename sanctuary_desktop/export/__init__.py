"""Files for people outside the app: iCalendar files and PDFs, from plain dataclasses. No Qt."""
