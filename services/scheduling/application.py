"""Scheduling commands. Policies: a feasible review (SOP 1.3) opens a case; a recommendation closes it."""
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.scheduling.domain import (
    ASESI_PER_ASSESSOR,
    CARRY_BACK_YEARS,
    LETTER_FORMS,
    LETTER_KINDS,
    SCHEDULE,
    SK_TUK,
    SPT_ASESOR,
    Assessor,
    Calendar,
    Invitation,
    Jadwal,
    JadwalStatus,
    Letter,
    LetterCounter,
    LetterNumbering,
    LetterStatus,
    ScheduleCase,
    SchedulingRules,
    SessionPlan,
    Tuk,
    TukStatus,
    TukVerification,
    assessor_id,
    checked_numbering,
    default_numbering,
    format_number,
    letter_id,
    letter_kind,
    parse_date,
)
from services.scheduling.forms import TIDAK_LAYAK
from services.scheduling.notices import NOTICES
from shared.aggregate import Actor, as_uuid, system_actor
from shared.contracts import Envelope
from shared.display import wib_today
from shared.errors import Conflict, Invalid, NotFound, NotReady
from shared.eventstore import ServiceApplication, event_store_env
from shared.messaging.inbox import Policy
from shared.privacy import PrivacyError, Vault, is_sealed, parse
from shared.settings import Settings

PLACEMENT_ATTEMPTS = 10  # a placement that lost a race for a seat (or an assessor's place) looks again this often
NUMBERING_ATTEMPTS = 20  # a letter that lost a race for its number takes the next one this often
LETTERHEAD = ("name", "address", "licence", "phone", "email")  # what a letter keeps of the branch's letterhead


class SchedulingApp(ServiceApplication):
    name = "scheduling"
    commands: ClassVar[tuple[str, ...]] = (
        "register_assessor", "revise_assessor", "set_assessor_active", "assign_assessor", "confirm_assignment",
        "decline_assignment", "delegate_assignment", "reschedule_case", "set_asesi_per_assessor", "register_tuk",
        "revise_tuk", "set_tuk_active", "create_schedule", "cancel_schedule", "finish_schedule", "place_case",
        "case_timeline", "issue_letter", "revoke_letter",
        "sign_letter", "confirm_receipt", "letter_numbering", "set_letter_numbering", "preview_letter_number")
    vault: Vault  # set by build_application: an SPT's addressee's e-mail is sealed with it

    def __init__(self, env: dict[str, str] | None = None, asesi_per_assessor: int = ASESI_PER_ASSESSOR):
        super().__init__(env)
        self.asesi_per_assessor = asesi_per_assessor  # the default; a branch may set its own (SchedulingRules)

    def policies(self) -> dict[str, Policy]:
        return {"registration:FeasibilityReviewed": self.open_case,
                "assessment:RecommendationGiven": self.complete_case, **NOTICES.policies(self)}

    def today(self) -> date:
        return wib_today()

    def register_assessor(self, tenant: str, actor: Actor, user_id: str, name: str, met_number: str,
                          valid_until: str, scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                          institutions: list[str] | None = None, unavailable: list[str] | None = None) -> str:
        if self.exists(assessor_id(tenant, user_id)):
            raise Conflict("this user is already registered as an assessor in this branch", field="user_id")
        assessor = Assessor.register(tenant, actor, user_id, name, met_number, valid_until, scheme_numbers,
                                     evidence, institutions, unavailable)
        self.save_checked(assessor)
        return str(assessor.id)

    def revise_assessor(self, tenant: str, actor: Actor, user_id: str, met_number: str, valid_until: str,
                        scheme_numbers: list[str], evidence: dict[str, str] | None = None,
                        institutions: list[str] | None = None, unavailable: list[str] | None = None,
                        expected_version: int | None = None) -> int:
        assessor = self._registered(tenant, user_id)
        assessor.check_version(expected_version)
        assessor.revise(actor, met_number, valid_until, scheme_numbers, evidence, institutions, unavailable)
        self.save_checked(assessor)
        return assessor.version

    def set_assessor_active(self, tenant: str, actor: Actor, user_id: str, active: bool, reason: str = "") -> int:
        assessor = self._registered(tenant, user_id)
        assessor.set_active(actor, active, reason)
        self.save_checked(assessor)
        return assessor.version

    def set_asesi_per_assessor(self, tenant: str, actor: Actor, limit: Any) -> int:
        """The branch's limit of asesi per assessor in one session (default ASESI_PER_ASSESSOR)."""
        limit = SchedulingRules.checked_limit(limit)
        rules_id = SchedulingRules.create_id(tenant)
        if self.exists(rules_id):
            rules = self.repository.get(rules_id)
            rules.change(actor, limit)
        else:
            rules = SchedulingRules(tenant=tenant, actor=actor, asesi_per_assessor=limit)
        self.save_checked(rules)
        return limit

    def limit_of(self, tenant: str) -> int:
        rules_id = SchedulingRules.create_id(tenant)
        return self.repository.get(rules_id).asesi_per_assessor if self.exists(rules_id) else self.asesi_per_assessor

    # -- assignment: appointed for a session, confirmed or declined, delegated (SOP 1.5, 1.6.4) -----------------

    def assign_assessor(self, tenant: str, actor: Actor, case_id: str, assessor_user_id: str,
                        expected_version: int | None = None) -> int:
        """Appoint an assessor for the case's session; they confirm or decline on their page."""
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, expected_version)
            assessor = self._assessor(tenant, assessor_user_id)
            calendar = self._calendar(tenant, actor, assessor.user_id)
            case.appoint(actor, assessor, schedule, self.limit_of(tenant))
            calendar.book(actor, schedule, who="assessor")  # not in two overlapping sessions
            return case, schedule, assessor, calendar
        return self._retrying(attempt, expected_version)

    def confirm_assignment(self, tenant: str, actor: Actor, case_id: str, declaration: dict[str, Any]) -> int:
        """The appointed assessor confirms, signing the impartiality declaration: AssessorAssigned."""
        case, schedule = self._placed_case(tenant, case_id, None)
        case.confirm(actor, schedule, declaration)
        self.save_checked(case)
        return case.version

    def decline_assignment(self, tenant: str, actor: Actor, case_id: str, reason: str, conflict: str = "") -> int:
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, None)
            case.check_appointed(actor)
            assessor, calendar = self._held_by(tenant, actor, case)
            case.decline(actor, schedule, assessor, reason, conflict)
            return case, schedule, assessor, *self._freed(actor, calendar, schedule, assessor)
        return self._retrying(attempt, None)

    def delegate_assignment(self, tenant: str, actor: Actor, case_id: str, assessor_user_id: str, reason: str,
                            expected_version: int | None = None) -> int:
        """The office hands the case to another assessor of its session (who then confirms)."""
        def attempt() -> tuple[Any, ...]:
            case, schedule = self._placed_case(tenant, case_id, expected_version)
            if case.assessor is None:
                raise Conflict("the case has no assessor to delegate from; appoint one", field="case_id")
            current, calendar = self._held_by(tenant, actor, case)
            to = self._assessor(tenant, assessor_user_id)
            to_calendar = self._calendar(tenant, actor, to.user_id)
            case.delegate(actor, schedule, current, to, reason, self.limit_of(tenant))
            to_calendar.book(actor, schedule, who="assessor")
            return case, schedule, current, to, to_calendar, *self._freed(actor, calendar, schedule, current)
        return self._retrying(attempt, expected_version)

    def reschedule_case(self, tenant: str, actor: Actor, case_id: str, schedule_id: str, reason: str,
                        expected_version: int | None = None) -> int:
        """To another session; the history keeps who, when, why, the old and new session, what it undid."""
        def attempt() -> tuple[Any, ...]:
            case, old = self._placed_case(tenant, case_id, expected_version)
            new = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
            asesi_calendar = self._calendar(tenant, actor, case.asesi["id"])
            assessor, calendar = self._held_by(tenant, actor, case) if case.assessor else (None, None)
            case.reschedule(actor, old, new, reason, assessor, self.today())
            asesi_calendar.free(actor, str(old.id))
            asesi_calendar.book(actor, new)
            changed = [case, old, new, asesi_calendar]
            if assessor is not None:
                changed += [assessor, *self._freed(actor, calendar, old, assessor)]
            return tuple(changed)
        return self._retrying(attempt, expected_version)

    def _placed_case(self, tenant: str, case_id: str, expected_version: int | None) -> tuple[ScheduleCase, Jadwal]:
        case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
        case.check_version(expected_version)
        if not getattr(case, "schedule_id", None):
            raise Conflict("place the case in a schedule before appointing its assessor", field="case_id")
        return case, self.repository.get(as_uuid(case.schedule_id, "schedule_id"))

    def _held_by(self, tenant: str, actor: Actor, case: ScheduleCase) -> tuple[Assessor, Calendar]:
        assessor = self._assessor(tenant, case.assessor["id"])
        return assessor, self._calendar(tenant, actor, assessor.user_id)

    @staticmethod
    def _freed(actor: Actor, calendar: Calendar, schedule: Jadwal, assessor: Assessor) -> tuple[Calendar, ...]:
        """The assessor's session is free again once they assess nobody else in it."""
        if schedule.has_assessor(assessor.user_id):
            return ()
        calendar.free(actor, str(schedule.id))
        return (calendar,)

    def _retrying(self, attempt: Callable[[], tuple[Any, ...]], expected_version: int | None) -> int:
        """Run a command over several aggregates and save them together; one that lost a race (another saved
        first) looks again, so a full session or a taken assessor is then refused for what it is (409)."""
        for _ in range(PLACEMENT_ATTEMPTS):
            changed = attempt()
            try:
                self.save(*changed)
                return changed[0].version
            except IntegrityError:
                if expected_version is not None:  # the caller asked for that version: theirs to reload
                    break
        raise Conflict("the record was changed by someone else; reload and retry")

    def register_tuk(self, tenant: str, actor: Actor, data: dict[str, Any]) -> str:
        tuk = Tuk.register(tenant, actor, data)
        self.save_checked(tuk)
        return str(tuk.id)

    def revise_tuk(self, tenant: str, actor: Actor, tuk_id: str, data: dict[str, Any],
                   expected_version: int | None = None) -> int:
        tuk = self._tuk(tenant, tuk_id, expected_version)
        tuk.revise(actor, data)
        self.save_checked(tuk)
        return tuk.version

    def set_tuk_active(self, tenant: str, actor: Actor, tuk_id: str, active: bool,
                       expected_version: int | None = None) -> int:
        tuk = self._tuk(tenant, tuk_id, expected_version)
        tuk.set_active(actor, active)
        self.save_checked(tuk)
        return tuk.version

    def create_schedule(self, tenant: str, actor: Actor, data: dict[str, Any]) -> str:
        tuk = self.get_owned(as_uuid(str(data.get("tuk_id") or ""), "tuk_id"), tenant, "TUK", Tuk)
        schedule = Jadwal.create(tenant, actor, data, tuk, self.today())
        self.save_checked(schedule)
        return str(schedule.id)

    def cancel_schedule(self, tenant: str, actor: Actor, schedule_id: str, reason: str) -> int:
        schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
        schedule.cancel(actor, reason)
        self.save_checked(schedule)
        return schedule.version

    def finish_schedule(self, tenant: str, actor: Actor, schedule_id: str) -> int:
        schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
        schedule.finish(actor, self.today())
        self.save_checked(schedule)
        return schedule.version

    def place_case(self, tenant: str, actor: Actor, schedule_id: str, case_id: str,
                   expected_version: int | None = None, contact: str = "") -> int:
        """A paid, feasible case into a seat of a schedule; the seat count and the case's place are saved
        together, so two placements racing for the last seat cannot both succeed (the loser gets 409).
        `contact`: the asesi's e-mail sealed for them (the gateway seals it), to tell them of their session."""
        def attempt() -> tuple[Any, ...]:
            schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
            schedule.check_version(expected_version)
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
            calendar = self._calendar(tenant, actor, case.asesi["id"])
            schedule.place(actor, case, self._sealed_contact(case.asesi, contact), self.today())
            calendar.book(actor, schedule)  # not in two overlapping sessions
            return schedule, case, calendar
        return self._retrying(attempt, expected_version)

    # ---- official letters (SOP 1.4, 1.6.5-1.6.6) ------------------------------------------------------------

    def issue_letter(self, tenant: str, actor: Actor, kind: str, tuk_id: str = "", schedule_id: str = "",
                     user_id: str = "", addressee_name: str = "", position: str = "", contact: str = "",
                     letterhead: dict[str, Any] | None = None, valid_until: str = "") -> dict[str, Any]:
        """An SK appointing a TUK of the registry (`tuk_id`), or an SPT assigning `user_id` to a schedule as its
        assessor (a registered Assessor of the branch) or to verify its TUK (`addressee_name`, `position`: the
        gateway found them in the branch's accounts). Issued once: issuing it again answers the letter as it
        is and takes no second number. The number is taken from the branch's counter of the kind and year in
        the same save as the letter, so letters issued at the same moment get consecutive numbers.
        `contact`: the addressee's account e-mail, sealed for them with this service's vault. An SPT for an
        assessor counts the asesi they assess in the session from its peta penugasan."""
        kind = letter_kind(kind)
        subject = self._letter_subject(tenant, kind, tuk_id, schedule_id, user_id)
        the_id = self._current_letter_id(tenant, kind, subject)
        if self.exists(the_id):
            return self._issued(tenant, the_id, created=False)
        today = self.today()
        head = {key: str((letterhead or {}).get(key) or "") for key in LETTERHEAD}
        head["name"] = head["name"] or tenant
        values, addressee = self._letter_values(tenant, kind, subject, head, addressee_name, position, valid_until)
        sealed = self._sealed_contact(addressee, contact)
        settings = self._numbering(tenant, kind)
        for _ in range(NUMBERING_ATTEMPTS):
            counter = self._counter(tenant, actor, kind, today.year, settings)
            sequence = counter.take(actor, str(the_id))
            number = format_number(settings, sequence, today)
            data = LETTER_FORMS[kind].check({**values, "nomor": number, "tanggal_surat": today.isoformat()},
                                            partial=False)
            letter = Letter(id=the_id, tenant=tenant, actor=actor, kind=kind, number=number, sequence=sequence,
                            year=today.year, subject=subject, addressee=addressee, data=data, letterhead=head,
                            contact=sealed)
            try:
                self.save(letter, counter)
                return self._issued(tenant, the_id, created=True)
            except IntegrityError:
                if self.exists(the_id):  # the same letter, issued at the same moment by someone else
                    return self._issued(tenant, the_id, created=False)
                # another letter took this number first: take the next one
        raise Conflict("the record is busy; retry in a moment")

    def _current_letter_id(self, tenant: str, kind: str, subject: dict[str, str]) -> UUID:
        """The subject's letter that stands (or the id the next one takes): past any revoked ones."""
        for revision in range(100):
            the_id = letter_id(tenant, kind, *subject.values(), revision=revision)
            if not self.exists(the_id) or self.repository.get(the_id).status != LetterStatus.REVOKED:
                return the_id
        raise Conflict("this letter was revoked too many times", field="kind")

    def revoke_letter(self, tenant: str, actor: Actor, letter_id: str, reason: str,
                      expected_version: int | None = None) -> dict[str, Any]:
        """Withdrawn, with why; a new letter for the same subject may then be issued (with a new number)."""
        letter = self._letter(tenant, letter_id, expected_version)
        letter.revoke(actor, reason)
        self.save_checked(letter)
        return self._state(letter)

    def sign_letter(self, tenant: str, actor: Actor, letter_id: str, expected_version: int | None = None
                    ) -> dict[str, Any]:
        """The ketua LSP signs the letter's content (its form's fields, its number among them)."""
        letter = self._letter(tenant, letter_id, expected_version)
        letter.sign(actor)
        self.save_checked(letter)
        return {**self._state(letter), "signature": letter.signature}

    def confirm_receipt(self, tenant: str, actor: Actor, letter_id: str, expected_version: int | None = None
                        ) -> dict[str, Any]:
        """The addressee of a signed SPT says they received it."""
        letter = self._letter(tenant, letter_id, expected_version)
        letter.confirm_receipt(actor)
        self.save_checked(letter)
        return self._state(letter)

    def letter_numbering(self, tenant: str, actor: Actor) -> list[dict[str, Any]]:
        """Each kind's number format in the branch, with the number its next letter would take today, and the
        version of the branch's setting (0: never set, the defaults)."""
        records = []
        for kind in LETTER_KINDS:
            numbering_id = LetterNumbering.create_id(tenant, kind)
            version = self.repository.get(numbering_id).version if self.exists(numbering_id) else 0
            records.append({**self._numbering_record(tenant, kind, self._numbering(tenant, kind)), "version": version})
        return records

    def preview_letter_number(self, tenant: str, actor: Actor, kind: str, settings: dict[str, Any]
                              ) -> dict[str, Any]:
        """What the next letter's number would be under these settings (nothing saved)."""
        kind = letter_kind(kind)
        return self._numbering_record(tenant, kind, checked_numbering(settings))

    def set_letter_numbering(self, tenant: str, actor: Actor, kind: str, settings: dict[str, Any],
                             expected_version: int | None = None) -> dict[str, Any]:
        """The admin LSP sets how the branch numbers one kind of letter, from its next letter on."""
        kind = letter_kind(kind)
        checked = checked_numbering(settings)
        numbering_id = LetterNumbering.create_id(tenant, kind)
        if self.exists(numbering_id):
            numbering: LetterNumbering = self.repository.get(numbering_id)
            numbering.check_version(expected_version)
            numbering.change(actor, checked)
        else:
            numbering = LetterNumbering.set(tenant, actor, kind, checked)
        self.save_checked(numbering)
        return {**self._numbering_record(tenant, kind, checked), "version": numbering.version}

    def _letter_subject(self, tenant: str, kind: str, tuk_id: str, schedule_id: str, user_id: str
                        ) -> dict[str, str]:
        """Whom and what the letter is about, as ids (they make the letter's id)."""
        if kind == SK_TUK:
            return {"tuk_id": str(as_uuid(tuk_id, "tuk_id"))}
        if not user_id or len(user_id) > 64:
            raise Invalid("name the person the letter assigns", field="user_id")
        return {"schedule_id": str(as_uuid(schedule_id, "schedule_id")), "user_id": user_id}

    def _letter_values(self, tenant: str, kind: str, subject: dict[str, str], head: dict[str, str],
                       addressee_name: str, position: str, valid_until: str
                       ) -> tuple[dict[str, Any], dict[str, str] | None]:
        """The letter's fields (but its number and date) from the registry's records, and its addressee."""
        if kind == SK_TUK:
            tuk: Tuk = self.get_owned(UUID(subject["tuk_id"]), tenant, "TUK", Tuk)
            if tuk.status != TukStatus.AKTIF:
                raise Conflict("this TUK is not in use", field="tuk_id")
            until = valid_until or tuk.data.get("sk_berlaku_sampai") or ""
            if not until:
                raise Invalid("the decree needs the date it is valid until", field="valid_until")
            if parse_date(until, "valid_until") <= self.today():
                raise Invalid("the decree must be valid after the day it is issued", field="valid_until")
            return {"cabang": head["name"], "nama_tuk": tuk.data["nama"], "jenis": tuk.data["jenis"],
                    "pelaksanaan": tuk.data["jarak_jauh"], "alamat": tuk.data.get("alamat"),
                    "kapasitas": str(tuk.data["kapasitas"]), "berlaku_sampai": until}, None
        schedule: Jadwal = self.get_owned(UUID(subject["schedule_id"]), tenant, "schedule", Jadwal)
        if schedule.status != JadwalStatus.TERJADWAL:
            raise Conflict("a letter of assignment is issued only for a schedule still to be held (this one is "
                           "'{status}')", field="schedule_id", status=str(schedule.status))
        tuk = self.repository.get(UUID(schedule.data["tuk"]["id"]))
        session = {"cabang": head["name"], "skema": schedule.data["skema"], "tanggal": schedule.data["tanggal"],
                   "waktu": f"{schedule.data['mulai']}-{schedule.data['selesai']} WIB",
                   "tuk": schedule.data["tuk"]["nama"], "pelaksanaan": schedule.data["jarak_jauh"],
                   "alamat": tuk.data.get("alamat")}
        user_id = subject["user_id"]
        if kind == SPT_ASESOR:
            assessor = self._assessor(tenant, user_id, field="user_id")
            if not schedule.has_assessor(user_id):  # the peta penugasan: appointed for this session
                raise Conflict("{name} is not assigned to this schedule", field="user_id", name=assessor.name)
            return {**session, "nama": assessor.name, "nomor_met": assessor.met_number,
                    "sebagai": "Asesor Kompetensi", "jumlah_asesi": str(len(schedule.assessors[user_id]))}, {
                "id": user_id, "name": assessor.name}
        name = " ".join(str(addressee_name or "").split())
        if not name:
            raise Invalid("must be a user of this branch with the role asesor or admin LSP", field="user_id")
        plan_id = SessionPlan.create_id(tenant, str(schedule.id))
        verifier = self.exists(plan_id) and self.repository.get(plan_id).verifier
        if not verifier or verifier["id"] != user_id:
            raise Conflict("{name} is not the appointed TUK verifier of this schedule", field="user_id", name=name)
        return {**session, "nama": name, "jabatan": position or "-", "sebagai": "Verifikator TUK"}, {
            "id": user_id, "name": name}

    def _sealed_contact(self, addressee: dict[str, str] | None, contact: str) -> str:
        """The addressee's e-mail as the letter keeps it: sealed for them in this service's vault (the gateway
        seals it; a plain one from an embedded caller is sealed here)."""
        if not addressee or not contact:
            return ""
        if is_sealed(contact):
            try:
                vault_name, subject, _ = parse(contact)
            except PrivacyError:
                raise Invalid("not a valid sealed value", field="contact") from None
            if (vault_name, subject) != (self.vault.name, addressee["id"]):
                raise Invalid("sealed for another vault or person", field="contact")
            return contact
        return self.vault.seal(addressee["id"], contact.strip())

    def _numbering(self, tenant: str, kind: str) -> dict[str, Any]:
        numbering_id = LetterNumbering.create_id(tenant, kind)
        if self.exists(numbering_id):
            return self.repository.get(numbering_id).settings
        return default_numbering(tenant, kind)

    def _carried(self, tenant: str, kind: str, year: int, settings: dict[str, Any]) -> int:
        """Where a new year's count starts from: 0 when the branch restarts yearly, else the latest year's end."""
        if settings["reset_tahunan"]:
            return 0
        for earlier in range(year - 1, year - 1 - CARRY_BACK_YEARS, -1):
            counter_id = LetterCounter.create_id(tenant, kind, earlier)
            if self.exists(counter_id):
                return self.repository.get(counter_id).last
        return 0

    def _counter(self, tenant: str, actor: Actor, kind: str, year: int, settings: dict[str, Any]) -> LetterCounter:
        counter_id = LetterCounter.create_id(tenant, kind, year)
        if self.exists(counter_id):
            return self.repository.get(counter_id)
        return LetterCounter(tenant=tenant, actor=actor, kind=kind, year=year,
                             start=self._carried(tenant, kind, year, settings))

    def _numbering_record(self, tenant: str, kind: str, settings: dict[str, Any]) -> dict[str, Any]:
        today = self.today()
        counter_id = LetterCounter.create_id(tenant, kind, today.year)
        last = (self.repository.get(counter_id).last if self.exists(counter_id)
                else self._carried(tenant, kind, today.year, settings))
        return {"kind": kind, **settings, "next_number": format_number(settings, last + 1, today),
                "year": today.year}

    def _issued(self, tenant: str, the_id: UUID, created: bool) -> dict[str, Any]:
        letter: Letter = self.get_owned(the_id, tenant, "letter", Letter)
        return {**self._state(letter), "kind": letter.kind, "number": letter.number, "created": created}

    @staticmethod
    def _state(letter: Letter) -> dict[str, Any]:
        return {"id": str(letter.id), "status": str(letter.status), "version": letter.version}

    def _letter(self, tenant: str, the_id: str, expected_version: int | None) -> Letter:
        letter: Letter = self.get_owned(as_uuid(the_id, "letter_id"), tenant, "letter", Letter)
        letter.check_version(expected_version)
        return letter

    def _calendar(self, tenant: str, actor: Actor, person_id: str) -> Calendar:
        calendar_id = Calendar.create_id(tenant, person_id)
        if self.exists(calendar_id):
            return self.repository.get(calendar_id)
        return Calendar(tenant=tenant, actor=actor, person_id=person_id)

    def _tuk(self, tenant: str, tuk_id: str, expected_version: int | None) -> Tuk:
        tuk = self.get_owned(as_uuid(tuk_id, "tuk_id"), tenant, "TUK", Tuk)
        tuk.check_version(expected_version)
        return tuk

    def _registered(self, tenant: str, user_id: str) -> Assessor:
        """The registry entry a command is about (in its path): another branch's, like a missing one, is 404."""
        aggregate_id = assessor_id(tenant, user_id)
        if not self.exists(aggregate_id):
            raise NotFound("{what} not found", what="assessor")
        return self.repository.get(aggregate_id)

    def _assessor(self, tenant: str, user_id: str, field: str = "assessor_id") -> Assessor:
        aggregate_id = assessor_id(tenant, user_id)
        if not self.exists(aggregate_id):
            raise Invalid("no registered assessor with this id in this branch", field=field)
        return self.repository.get(aggregate_id)

    def open_case(self, envelope: Envelope, data: Any) -> list[Any]:
        """A case found feasible (FR.APL.01 and FR.APL.02 reviewed) waits for an assessor; one found
        not feasible stops in registration and opens nothing."""
        if not data.feasible:
            return []
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if self.exists(case_id):
            return []
        return [ScheduleCase.open(case_id, envelope.tenant, system_actor(self.name), envelope.id,
                                  data.asesi.model_dump(), data.scheme.model_dump(),
                                  data.invoice_number, data.amount, data.institution)]

    def complete_case(self, envelope: Envelope, data: Any) -> list[Any]:
        case_id = as_uuid(envelope.correlation_id, "case_id")
        if not self.exists(case_id):
            raise NotReady("the case is not yet known to scheduling")
        case: ScheduleCase = self.repository.get(case_id)
        if not SCHEDULE.can(case.status, "complete"):
            return []  # already completed, or never assigned: nothing to release
        assessor: Assessor = self.repository.get(assessor_id(case.tenant, case.assessor["id"]))
        case.complete(system_actor(self.name), envelope.id, assessor)
        return [case, assessor]

    # ---- remote session preparation (SOP 3.1-3.2) and the online TUK verification (SOP 2.4.1) ----------

    commands = commands + ("check_systems", "plan_rooms", "appoint_verifier", "verify_tuk")
    vault: Vault  # set by build_application: the invited asesi's e-mail address is sealed with it
    public_url: str = ""

    def check_systems(self, tenant: str, actor: Actor, schedule_id: str, data: dict[str, Any]) -> int:
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        plan.check_systems(actor, schedule, data)
        self.save_checked(plan)
        return plan.version

    def plan_rooms(self, tenant: str, actor: Actor, schedule_id: str, rooms: dict[str, str],
                   rundown: list[dict[str, str]], contacts: dict[str, str] | None = None) -> int:
        """The breakout rooms and the rundown; every seated asesi whose invitation changed is invited
        (saved together, so a plan never stands without its invitations). `contacts`: asesi id -> their e-mail,
        sealed for them (the gateway seals it)."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        plan.plan_rooms(actor, schedule, rooms, rundown)
        changed: list[Any] = [plan]
        for case_id, room in plan.rooms.items():
            case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
            invitation = self._part(Invitation, actor, case)
            contact = self._sealed_contact(case.asesi, (contacts or {}).get(case.asesi["id"]) or "")
            if invitation.issue(actor, schedule, room, plan.rundown, case.scheme, contact):
                changed.append(invitation)
        self.save_checked(*changed)
        return plan.version

    def appoint_verifier(self, tenant: str, actor: Actor, schedule_id: str, verifier: dict[str, str]) -> int:
        """verifier: {id, name, role} of a user of the branch (asesor or admin LSP), checked by the caller."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        tuk = self.get_owned(as_uuid(schedule.data["tuk"]["id"], "tuk_id"), tenant, "TUK", Tuk)
        plan.appoint_verifier(actor, schedule, tuk, {k: str(verifier[k]) for k in ("id", "name", "role")})
        self.save_checked(plan)
        return plan.version

    def verify_tuk(self, tenant: str, actor: Actor, schedule_id: str, case_id: str,
                   data: dict[str, Any]) -> dict[str, Any]:
        """One participant's online TUK verification; TIDAK LAYAK holds the case for a new schedule (its
        assessment is refused by the assessment service, which hears TukVerified)."""
        schedule, plan = self._prepared(tenant, actor, schedule_id)
        case = self.get_owned(as_uuid(case_id, "case_id"), tenant, "case", ScheduleCase)
        verification = self._part(TukVerification, actor, case)
        conclusion = verification.verify(actor, plan, schedule, data)
        changed: list[Any] = [verification]
        if conclusion == TIDAK_LAYAK:
            case.hold_for_reschedule(actor, "tuk_tidak_layak")
            changed.append(case)
        self.save_checked(*changed)
        return {"case_id": case_id, "conclusion": conclusion, "version": verification.version}

    def _prepared(self, tenant: str, actor: Actor, schedule_id: str) -> tuple[Jadwal, SessionPlan]:
        schedule = self.get_owned(as_uuid(schedule_id, "schedule_id"), tenant, "schedule", Jadwal)
        plan_id = SessionPlan.create_id(tenant, schedule_id)
        if self.exists(plan_id):
            return schedule, self.repository.get(plan_id)
        return schedule, SessionPlan(tenant=tenant, actor=actor, schedule_id=str(schedule.id))

    def _part(self, kind: type, actor: Actor, case: ScheduleCase) -> Any:
        part_id = kind.id_for(case.id)
        return self.repository.get(part_id) if self.exists(part_id) else kind.open_for(actor, case)

    def case_parts(self, tenant: str | None, case_id: str) -> list[UUID]:
        """The case, its invitation and its TUK verification (the per-case log)."""
        return [as_uuid(case_id, "case_id"), Invitation.id_for(case_id), TukVerification.id_for(case_id)]

def build_application(settings: Settings) -> SchedulingApp:
    limit = settings.assessor_max_active_cases  # the default of asesi per assessor per session
    app = SchedulingApp(env=event_store_env(settings, SchedulingApp.name), asesi_per_assessor=limit)
    app.vault = Vault.for_application(app, settings)
    app.public_url = settings.public_url
    return app
