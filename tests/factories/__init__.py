"""The test-data layer: factory_boy and wagtail-factories factories, one module per app.

Tests create the few objects they need and assert on values they set themselves.
The demo (demo/) and the benchmark generators (tests/perf/data/) reuse these
factories, so a field added to a model gets its default in one place.

    home = site_tree()                          # root, home page, default Site
    topic = TopicPageFactory(parent=home, title="Fjellbygder")
"""
