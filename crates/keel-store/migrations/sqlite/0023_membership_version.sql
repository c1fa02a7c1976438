-- A member's role is an editable record like any other: changes and removals name the version
-- they were made against, so two admins acting at once cannot overwrite each other blindly.
ALTER TABLE memberships ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
