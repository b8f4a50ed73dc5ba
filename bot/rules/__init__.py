"""Pure decisions: values and a time in, decisions out. No database, no Slack, no Bolt.

Working hours, due days and repeats of nudges, who may use Rapport, who looks after a partner.
"""
