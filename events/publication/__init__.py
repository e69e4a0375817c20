"""The publication layer: the one place that decides what the public sees.

``builders`` shape each public record (story, event, briefing) as a document; ``store`` keeps
the built documents and takedowns, and logs each change; ``log`` numbers log entries in commit
order; ``rebuild`` rebuilds or checks everything (``manage.py rebuild_published``). The API,
feeds, sitemap and public pages read the stored documents (``events.publication.read``).
"""
