-- The priority the app's profile gave the customer's urgency answers (low, normal, high,
-- urgent); NULL from older apps and the command line: the help desk's default applies.
ALTER TABLE tickets ADD COLUMN priority TEXT;
