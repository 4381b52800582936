"""Decision letters (vedtaksbrev): the grounds, amount and contact person staff write
for each application before release, the letter's text, and the PDF copies the
applicant downloads (the letter and the application as submitted)."""
