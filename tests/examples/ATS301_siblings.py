# A per-test fixture that the same tests request and that truncates or drops the schema at
# teardown keeps them apart (a sibling, not the session fixture's own closure): silent there.
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session


class Base(DeclarativeBase):
    pass


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def leaky_session(engine):  # error: ATS301:1 name=leaky_session kind=session
    with Session(engine) as session:
        yield session


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session


@pytest.fixture
def truncate_tables(engine):
    yield
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def cleaned(truncate_tables):
    return None


def test_leaky(leaky_session):
    leaky_session.commit()


def test_leaky_beside_the_cleanup_once(leaky_session, truncate_tables):
    leaky_session.commit()


def test_truncated(session, truncate_tables):
    session.commit()


def test_truncated_through_another_fixture(cleaned, session):
    session.commit()


@pytest.mark.usefixtures("truncate_tables")
def test_truncated_through_usefixtures(session):
    session.commit()
