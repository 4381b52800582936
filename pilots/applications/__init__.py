"""What the portal and case handling share: rounds, applications and their answers,
the statuses and deadlines that govern them, and the services that change them
(submitting, withdrawing, and writing a status with its side effects)."""
