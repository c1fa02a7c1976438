-- One email is one person in a workspace, whatever its case: the domain refuses a second
-- person with it and names the first; this index holds when two saves race.
-- A workspace that already has two people with one email keeps it on the person added first;
-- the later ones lose it (docs/people.md says so), since the index cannot be built otherwise.
UPDATE people SET email = NULL
 WHERE email IS NOT NULL
   AND EXISTS (SELECT 1 FROM people o
                WHERE o.workspace_id = people.workspace_id
                  AND lower(o.email) = lower(people.email)
                  AND o.id < people.id);
CREATE UNIQUE INDEX people_workspace_email ON people(workspace_id, lower(email)) WHERE email IS NOT NULL;
