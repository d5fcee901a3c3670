"""Where import records come from: a JSON file, a folder or .zip of CSV files, an XLSX workbook, or a CRM's own
export (amoCRM, Bitrix24) in CSV or XLSX. Every reader yields the same `RawRecord`s (storage/import_records.py), so
validation and writing do not care about the file format; `open.open_source` picks the reader from the path.
"""
