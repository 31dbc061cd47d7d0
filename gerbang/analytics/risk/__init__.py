"""Risk flags for officers (issue 21): the rules and the anomaly model that point at cases worth
a second look, each with reasons an officer can read. A flag informs; it never decides, blocks
or delays a case. docs/analytics.md says what each flag means and what the model reads."""
