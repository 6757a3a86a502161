"""The classroom: runs kept in a database, classes, a teacher's view — no Streamlit here.

store.py owns the database (SQLAlchemy Core; SQLite by default, PostgreSQL by URL); schema.py
holds its tables and their versions. See docs/classroom.md.
"""
