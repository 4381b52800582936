"""Reading /metrics in a test the way Prometheus reads it: over HTTP with the bearer
token, parsed with prometheus_client's own parser of the text format.

Counters add up over the whole test session (the multiprocess files live as long as
the run, as they do between deploys), so a test compares a scrape after what it did
with one before: `after.delta(before, name, **labels)`."""

from prometheus_client.parser import text_string_to_metric_families

TOKEN = "kr-metrics-test-token-3f9c2a7d1e8b4c6a"


class Figures(dict):
    """{(sample name, sorted labels): value} of one scrape."""

    def __call__(self, name, **labels):
        return self[(name, tuple(sorted(labels.items())))]

    def get_value(self, name, **labels):
        return self.get((name, tuple(sorted(labels.items()))), 0.0)

    def delta(self, before, name, **labels):
        return self.get_value(name, **labels) - before.get_value(name, **labels)

    def labels_of(self, name):
        return [dict(labels) for sample, labels in self if sample == name]


def parse(text):
    return Figures(
        ((sample.name, tuple(sorted(sample.labels.items()))), sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    )


def scrape(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.status_code
    return parse(response.content.decode())
