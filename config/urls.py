from django.conf import settings
from django.urls import URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from newsletter import webhooks as newsletter_webhooks
from policy import metrics_views, sitemap, staff_sign_in_views
from policy import views as policy_views
from policy.translations import EnglishPrefixPattern

urlpatterns = [
    # Staff sign-in through the OpenID Provider, beside Wagtail's own sign-in.
    path("admin/logg-inn/oidc/", staff_sign_in_views.staff_oidc_start, name="staff_oidc_start"),
    path("admin/logg-inn/oidc/svar/", staff_sign_in_views.staff_oidc_callback, name="staff_oidc_callback"),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumenter/fil/", include("documents.urls")),
    path("sok/", policy_views.search, name="search"),
    path("soknad/", include("pilots.urls")),
    path("nyhetsbrev/", include("newsletter.urls")),
    # The mail provider's delivery reports (bounces, complaints), at anymail's usual address.
    path("anymail/mailgun/tracking/", newsletter_webhooks.mailgun_tracking, name="mailgun_tracking"),
    path("sitemap.xml", sitemap.sitemap, name="sitemap"),
    path("sitemap-<int:number>.xml", sitemap.sitemap_section, name="sitemap_section"),
    path("robots.txt", policy_views.robots_txt, name="robots_txt"),
    path("healthz", policy_views.healthz, name="healthz"),
    # For Prometheus; a 404 for anyone without the token or an allowed address.
    path("metrics", metrics_views.metrics_view, name="metrics"),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/plain/", policy_views.benchmark_plain))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it matches every remaining path. English pages
# are served (and their URLs built) under /en/, Norwegian ones without a prefix.
urlpatterns += [URLResolver(EnglishPrefixPattern(), [path("", include(wagtail_urls))])]

handler404 = "policy.views.page_not_found"
handler500 = "policy.views.server_error"
