"""nbgrader configuration of the course "Pairing in small superconductors".

Run every nbgrader command from this folder (``cd assignments``); see the
Instructors appendix of the book for the workflow.
"""

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "pairing-small-superconductors"
c.CourseDirectory.root = "."
# one source assignment per chapter: source/<assignment>/<assignment>.ipynb
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# numerical tasks may take a few seconds; no single cell should take minutes
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True

# A student's exception in one cell costs that cell only: nbgrader's autograder
# always runs every cell (the test suite checks this with a broken answer).

# what the student sees in place of the instructor's solution
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
