"""#tags: words a patient marks in what they write (as jrnl users do), or gives in a tag field."""
