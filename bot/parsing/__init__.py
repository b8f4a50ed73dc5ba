"""Readers of what people type and what Slack sends, in English and German: dates, keywords,
`/logcontact` and settings texts, Slack markup, and the checks text passes before it is stored.
"""
