"""Reading metrics/*.csv as spreadsheets really write them: encodings, cells, amounts in several currencies, files."""
