"""The dialogue between an applicant and the ministry about one application:
questions (with a reply deadline), messages and the applicant's answers."""
