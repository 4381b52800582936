# Varnish in front of the app nodes (`make stack`, scripts/stack.sh).
#
# The app decides what may be shared: anonymous public pages carry
# `Cache-Control: public, max-age=…`, everything personal `private, no-cache`
# (policy.models.apply_public_cache_headers). Varnish caches by that header only and
# never stores a response that sets a cookie. Anyone with a session or CSRF cookie, or
# an Authorization header, goes straight to an app node.
#
# The app nodes (backends with the health probe below), the round-robin director
# `nodes`, the ACL `app_nodes` (who may purge) and `next_node` (where a retry goes) are
# in stack-nodes.vcl, which scripts/stack.sh writes next to its pid files from the
# ports it is given; varnishd finds it through its vcl_path.
vcl 4.1;

import directors;
import std;

# An app node is healthy while /healthz answers 200 (it does when the database does):
# two good answers of the last three, one a second.
probe healthz {
    .url = "/healthz";
    .timeout = 1s;
    .interval = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

include "stack-nodes.vcl";

sub vcl_recv {
    set req.backend_hint = nodes.backend();
    # One cache entry per site, however the port is written.
    set req.http.Host = std.tolower(regsub(req.http.Host, ":80$", ""));

    if (req.method == "PURGE") {
        if (client.ip !~ app_nodes) {
            return (synth(405, "Method Not Allowed"));
        }
        # Wagtail purges a path; like the app's own page cache, that drops every
        # query-string variant of it (archive filters and pages) for that host.
        # A ban on obj.* only, so the ban lurker clears them in the background.
        if (!std.ban("obj.http.x-host == " + req.http.Host + " && obj.http.x-path == " + regsub(req.url, "\?.*$", ""))) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Purged"));
    }
    if (req.method == "BAN") {
        # Not used by the site: purges are per path.
        return (synth(405, "Method Not Allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)=") {
        return (pass);
    }
    # Other cookies (analytics) mean nothing to the site's public pages; dropping them
    # lets every anonymous visitor share one copy.
    unset req.http.Cookie;
    # While a node is healthy a copy at most 10 s past its max-age is served while it
    # is fetched again; while none is, copies up to the object's grace (6 h).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_fetch {
    # A retry skips the node that just failed (not left to the round robin, which other
    # requests move on meanwhile); the marker is not sent to the node.
    if (bereq.retries > 0) {
        call next_node;
    }
    unset bereq.http.x-failed-node;
}

sub vcl_backend_response {
    # What a purge matches on (see vcl_recv), removed again in vcl_deliver.
    set beresp.http.x-host = bereq.http.Host;
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");

    if (beresp.status >= 500 && bereq.method ~ "^(GET|HEAD)$") {
        if (bereq.retries < 1) {
            set bereq.http.x-failed-node = beresp.backend.name;
            return (retry);
        }
        if (bereq.is_bgfetch) {
            # Keep serving the stale copy rather than replacing it with an error.
            return (abandon);
        }
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(s-maxage|max-age)=[1-9]"
        || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        # Not shared: remembered as such for two minutes so requests for it go
        # straight to a node instead of waiting on each other.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    set beresp.grace = 6h;
    if (beresp.http.Content-Type ~ "^(text/|application/(xml|json|rss\+xml|atom\+xml|javascript))") {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # The node did not answer (killed, restarting): an idempotent request tries the
    # other one before anyone sees an error.
    if (bereq.retries < 2 && bereq.method ~ "^(GET|HEAD)$") {
        set bereq.http.x-failed-node = beresp.backend.name;
        return (retry);
    }
    if (bereq.is_bgfetch) {
        # No node could refresh a stale copy: keep serving it (grace).
        return (abandon);
    }
    # What the visitor sees when no node answered, in the site's language.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Retry-After = "5";
    synthetic({"<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Midlertidig utilgjengelig – Kommunal- og distriktsdepartementet</title></head>
<body><main>
<h1>Nettstedet er midlertidig utilgjengelig</h1>
<p>Vi fikk ikke svar fra serveren. Prøv igjen om noen sekunder.</p>
</main></body>
</html>
"});
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-host;
    unset resp.http.x-path;
}
