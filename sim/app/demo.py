"""Throw-away workshops for examples, notebooks and trying things out.

Each call builds a real workshop in a fresh temporary folder: a SQLite results store and a library whose
scenario and exercise folders are copies of the repository's, so what an example saves or breaks never
touches ``scenarios/`` or ``exercises/``. The doors' examples start here, so that each shows only what
matters for its method::

    >>> desk = demo_desk()                # a trainer's desk, already unlocked
    >>> _ = demo_attempt(desk)            # a trainee's submitted case, for the desk to look at
    >>> [(row.full_name, row.final_percent) for row in desk.rows()]
    [('Lê Thị Lan', 16.0)]

Nothing here is used by the apps themselves.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sim.app.trainee import CaseSession, InputError, Trainee, Workshop
from sim.app.trainer import TrainerDesk
from sim.library import packaged_library
from sim.workshop.stores import open_store

__all__ = ["demo_attempt", "demo_desk", "demo_session", "demo_trainee", "demo_workshop"]

DEMO_WORKSHOP_ID = "demo"
DEMO_SECRET = "s3cret"


def demo_workshop(exercises: Sequence[str] = (), *, code: str | None = None, secret: str = DEMO_SECRET) -> Workshop:
    """A new, empty workshop ``"demo"`` in its own temporary folder, with copied scenario and exercise folders.

    Parameters
    ----------
    exercises : sequence of str
        The exercises it offers (empty: every exercise that loads).
    code : str, optional
        The workshop code trainees must type to join.
    secret : str
        The trainer secret that unlocks its ``TrainerDesk``.

    Examples
    --------
    >>> workshop = demo_workshop(["intake-basics"])
    >>> workshop.id, workshop.exercise_ids, workshop.store.trainees(workshop.id)
    ('demo', ['intake-basics'], [])
    >>> workshop.library.scenario_dir.parent != packaged_library().scenario_dir.parent  # copies, not the repo's
    True
    """
    folder = Path(tempfile.mkdtemp(prefix="trove-demo-"))
    packaged = packaged_library()
    library = packaged.replace(
        scenario_dir=shutil.copytree(packaged.scenario_dir, folder / "scenarios"),
        exercise_dir=shutil.copytree(packaged.exercise_dir, folder / "exercises"),
    )
    store = open_store(folder / "results.sqlite")
    workshop = Workshop(store, DEMO_WORKSHOP_ID, code=code, exercises=list(exercises), library=library)
    store.set_trainer_secret(DEMO_WORKSHOP_ID, secret)
    return workshop


def demo_desk(
    workshop: Workshop | None = None, *, exercises: Sequence[str] = (), secret: str = DEMO_SECRET
) -> TrainerDesk:
    """The unlocked trainer's desk of ``workshop`` (a new ``demo_workshop(exercises)`` if omitted).

    Raises
    ------
    InputError
        ``trainer_locked`` if ``secret`` does not unlock the workshop.

    Examples
    --------
    >>> desk = demo_desk(exercises=["verification"])
    >>> desk.unlocked, desk.workshop_id, desk.exercises()[1]
    (True, 'demo', ['verification'])
    >>> workshop = demo_workshop()
    >>> demo_desk(workshop).store is workshop.store  # the trainer's view of that workshop
    True
    """
    if workshop is None:
        workshop = demo_workshop(exercises, secret=secret)
    desk = TrainerDesk(workshop.store, workshop.id, library=workshop.library)
    if not desk.unlock(secret):
        raise InputError("trainer_locked")
    return desk


def demo_trainee(
    place: Workshop | TrainerDesk | None = None, *, full_name: str = "Lê Thị Lan", commune: str = "xã Phan Sơn"
) -> Trainee:
    """A trainee (a commune People's Committee officer) who joined the workshop, or the desk's workshop.

    Examples
    --------
    >>> desk = demo_desk()
    >>> trainee = demo_trainee(desk, commune="xã Không Có")
    >>> trainee.full_name, trainee.commune, trainee.role
    ('Lê Thị Lan', 'xã Không Có', 'commune_pc')
    >>> [t.full_name for t in desk.store.trainees(desk.workshop_id)]
    ['Lê Thị Lan']
    """
    return _workshop_of(place).join(full_name=full_name, commune=commune, role="commune_pc")


def demo_session(
    place: Workshop | TrainerDesk | None = None, exercise_id: str = "intake-basics", position: int = 0
) -> CaseSession:
    """A new trainee's case, opened and not yet answered (in a new demo workshop if ``place`` is omitted).

    Examples
    --------
    >>> session = demo_session()
    >>> session.attempt.scenario_id, session.asked, session.answers, session.submitted
    ('forced-marriage-2016', [], {}, False)
    >>> demo_session(exercise_id="verification").attempt.scenario_id
    'certificate-of-return-2019'
    """
    workshop = _workshop_of(place)
    return workshop.open_case(demo_trainee(workshop), exercise_id, position)


def demo_attempt(place: Workshop | TrainerDesk | None = None) -> CaseSession:
    """A submitted attempt: Lê Thị Lan offered care first, received the person at D1, and submitted (16 %).

    Examples
    --------
    >>> desk = demo_desk()
    >>> session = demo_attempt(desk)
    >>> [r.question.id for r in session.asked], session.answers, desk.report(session.attempt.id)["percent"]
    (['care_first'], {'D1': {'receive': 'receive'}}, 16.0)
    """
    session = demo_session(place)
    session.ask("care_first")
    session.answer("D1", {"receive": "receive"})
    session.submit()
    return session


def _workshop_of(place: Workshop | TrainerDesk | None) -> Workshop:
    if place is None:
        return demo_workshop()
    if isinstance(place, Workshop):
        return place
    return Workshop(place.store, place.workshop_id, library=place.library)
