"""The applicant's side: the public call page, signing in by e-mail link, «Mine
søknader», the task list and question pages, attachments, the declaration and the
receipt, and inviting colleagues."""
