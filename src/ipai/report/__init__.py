"""Reports: rendering scenario results (assessment, later landscapes and valuations) as
Markdown, standalone HTML or JSON. Scenario code builds dicts; this package only presents them."""
