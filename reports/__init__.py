"""Reports: refresh the reporting views and export them for Excel, Tableau and as PNGs."""
