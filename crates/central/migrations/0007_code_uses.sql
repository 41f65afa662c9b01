-- How many installations an enrolment code may enrol (1 unless the vendor's admin set more for a
-- mass deployment) and how many it has. Codes made before keep no limit (NULL), as issued.
ALTER TABLE enrolment_codes ADD COLUMN uses_max INTEGER;
ALTER TABLE enrolment_codes ADD COLUMN uses INTEGER NOT NULL DEFAULT 0;
UPDATE enrolment_codes SET uses = (SELECT COUNT(*) FROM installations WHERE installations.code_id = enrolment_codes.id);
