"""The supervisors' dashboards: an office's figures of a period (open cases by stage, overdue
ones, decisions and the late ones, decisions per officer, queue waits, missed appointments, the
satisfaction index, complaints owed), each number a link to the list behind it; and the national
view, every office side by side with the national total.

Nothing is stored here: every figure is read through the selectors of the app that owns the
data (applications, appointments, queueing, feedback, ikm), one grouped query per figure
whatever the number of offices, counted by the same conditions the linked lists filter by."""
