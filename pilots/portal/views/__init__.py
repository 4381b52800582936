"""The portal's views: applications.py (the application from «Mine søknader» to the
receipt), questions.py (one page per answer section), attachments.py, members.py
(«Hvem har tilgang» and accepting invitations) and sign_in.py. Every view that
touches an application fetches it through pilots.portal.access (404 for anyone
without access); every change goes through a service."""
