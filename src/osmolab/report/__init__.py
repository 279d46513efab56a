"""Reports (HTML) and plots of results."""
