"""How dates and times are written in each language (settings.FORMAT_MODULE_PATH): one format
per kind of moment, used through ``gerbang.core.formatting`` (and its template filters) by
pages, emails, SMS, PDFs and the API's display strings. What a language does not set here
comes from Django's own formats for it (the input formats, for instance)."""
