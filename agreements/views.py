# Sections, in order: agreement register (issue 4), council seats (issue 5), briefings (issue 6).
