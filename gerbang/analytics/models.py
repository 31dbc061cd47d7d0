"""The analytics' own tables (risk flags and forecasts); see the modules that write them."""
