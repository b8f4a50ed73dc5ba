"""The sandbox: Rapport without a Slack workspace, for `rapport shell` and `rapport demo`.

The real app, reached through its real signed HTTP endpoint, talks to a stand-in Slack on
loopback, stores into SQLite, and reads a clock the user can move. Nothing here is imported by
`rapport serve` (tests/sandbox/test_sandbox_boundary.py checks it): the stand-in answers anyone
holding its tokens and must never run beside a production app.

- `loopback`: the app under uvicorn on 127.0.0.1, and requests signed as Slack signs them
- `workspace`: the seeded people and channels, the database, the clock
- `timeline`: moving the clock, stopping where scheduled jobs fall due
- `inbox`: what Rapport sent since the last look, each thing once
- `render`: Block Kit drawn for a terminal with rich
- `form`: an open modal filled in line by line
- `shell`: the prompt and its commands
- `demo`: the scripted session
"""
