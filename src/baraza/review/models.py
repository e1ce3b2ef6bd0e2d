from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baraza.cases.models import Case, CaseStatus


class Scheme(models.TextChoices):
    CATEGORY = "category", _("Harm category")
    VERDICT = "verdict", _("Verdict")
    SEVERITY = "severity", _("Severity")
    DISARM_TACTIC = "disarm_tactic", _("DISARM tactic")
    DISARM_TECHNIQUE = "disarm_technique", _("DISARM technique")
    DSA_CATEGORY = "dsa_category", _("DSA statement-of-reasons category")


class TermQuerySet(models.QuerySet["Term"]):
    def active(self) -> TermQuerySet:
        return self.filter(active=True)


class Term(models.Model):
    """One entry of a taxonomy the reviewers use: data, not code, so the coalition's admins can
    reword, retire or add entries (and load newer DISARM releases) without a release.

    Entries are retired (`active=False`), never deleted, so old assessments keep their meaning."""

    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    code = models.CharField(max_length=80, help_text="stable id: T0023, false, 3, ...")
    label = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="a DISARM technique's tactic, or a sub-technique's technique",
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    source = models.CharField(max_length=200, blank=True, help_text="attribution")

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="term_unique")]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def overdue(self) -> AssignmentQuerySet:
        """Past the deadline, the case still in review, and no assessment from the reviewer:
        the one definition behind the flag in the API, the review page and the queue."""
        assessed = Assessment.objects.filter(
            case_id=models.OuterRef("case_id"), reviewer_id=models.OuterRef("reviewer_id")
        )
        return self.filter(due_at__lt=timezone.now(), case__status=CaseStatus.IN_REVIEW).exclude(
            models.Exists(assessed)
        )

    def with_overdue(self) -> AssignmentQuerySet:
        """Each assignment with `overdue_now` computed in the same query (lists and pages)."""
        late = self.model.objects.overdue().filter(pk=models.OuterRef("pk"))
        return self.annotate(overdue_now=models.Exists(late))


class Assignment(models.Model):
    """A reviewer asked (or volunteering) to assess a case. Gives the reviewer access to the
    case: an explicit, audited share with their organisation (amber) or with them (red)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} → reviewer {self.reviewer_id}"

    @property
    def is_overdue(self) -> bool:
        """See `AssignmentQuerySet.overdue`; read from `with_overdue()` when it was used."""
        annotated = getattr(self, "overdue_now", None)
        if annotated is not None:
            return bool(annotated)
        return Assignment.objects.overdue().filter(pk=self.pk).exists()


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def current(self) -> AssessmentQuerySet:
        """Assessments not superseded by a correction: each reviewer's standing judgement."""
        return self.filter(superseded_by__isnull=True)


class Assessment(models.Model):
    """One reviewer's independent judgement of a case. Immutable once submitted: a correction
    is a new assessment that supersedes it, and both are kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="assessments")
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    severity = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    categories = models.ManyToManyField(Term, related_name="+", blank=True)
    techniques = models.ManyToManyField(Term, related_name="+", blank=True)
    rationale = models.TextField(help_text="Markdown, stored as written, shown sanitised")
    evidence = models.JSONField(default=list, blank=True, help_text="links")
    confidence = models.PositiveSmallIntegerField(help_text="1 (a guess) to 5 (certain)")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    appeal = models.ForeignKey(
        "review.Appeal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="set for an appeal panel's re-assessment",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"assessment {self.pk} of case {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecord("a submitted assessment is never changed; supersede it")
        super().save(*args, **kwargs)


class ImmutableRecord(RuntimeError):
    pass


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    VERDICT = "verdict", _("Verdict")


class Action(models.TextChoices):
    REFER_PLATFORM = "refer_platform", _("Refer to the platform")
    PUBLISH_CORRECTION = "publish_correction", _("Publish a correction")
    REFER_ELECTION_BODY = "refer_election_body", _("Refer to the election body")
    REFER_REGULATOR_OR_POLICE = "refer_regulator_or_police", _("Refer to a regulator or police")
    PUBLIC_STATEMENT = "public_statement", _("Public statement")


class DecisionQuerySet(models.QuerySet["Decision"]):
    def current(self) -> DecisionQuerySet:
        """Decisions in force: not replaced by an appeal's outcome (one per decided case)."""
        return self.filter(replaced_by__isnull=True)

    def current_for(self, case: Case) -> Decision | None:
        return (
            self.current()
            .filter(case=case)
            .select_related("verdict", "severity", "dsa_category", "decided_by")
            .order_by("-created_at", "-id")
            .first()
        )


class Decision(models.Model):
    """The secretariat's outcome for a case, with public reasons and private notes. Kept for
    ever: an appeal's outcome is a new decision that `replaces` this one."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    verdict = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    severity = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = models.ManyToManyField(Term, related_name="+", blank=True)
    dsa_category = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actions = models.JSONField(default=list, blank=True, help_text="recommended actions")
    public_reasons = models.TextField()
    private_notes = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True, help_text="why the secretariat decided without enough assessments"
    )
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"decision {self.pk} on case {self.case_id}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecord("a decision is never changed; an appeal replaces it")
        super().save(*args, **kwargs)


class AppealQuerySet(models.QuerySet["Appeal"]):
    def pending_for(self, case: Case) -> Appeal | None:
        """The appeal a case is under now, if any (an appeal is heard once)."""
        return self.filter(case=case, status=Appeal.Status.PENDING).first()


class Appeal(models.Model):
    """A challenge to a decision, by the reporter (tracking code) or a member, with grounds.
    A panel of reviewers who did not assess the case re-assesses it; the secretariat then
    upholds the decision or replaces it. Everything is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Under appeal")
        UPHELD = "upheld", _("Decision upheld")
        REPLACED = "replaced", _("Decision replaced")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="appeals")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField()
    filed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.ForeignKey(
        "intake.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the reporter's report, when the reporter appealed by tracking code",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    outcome = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="from_appeal"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"appeal {self.pk} of decision {self.decision_id} ({self.status})"


class BridgingRun(models.Model):
    """One fit of the bridging score over the whole history of assessments (derived state)."""

    started_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField()
    reviewers = models.PositiveIntegerField()
    items = models.PositiveIntegerField()
    ratings = models.PositiveIntegerField()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"bridging run {self.pk} ({self.ratings} ratings)"


class BridgingScore(models.Model):
    """A verdict's standing on a case after the latest run (see review/bridging.py)."""

    run = models.ForeignKey(BridgingRun, on_delete=models.CASCADE, related_name="scores")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    verdict = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    intercept = models.FloatField()
    factor = models.FloatField()
    raters = models.PositiveIntegerField()
    bridged = models.BooleanField()

    class Meta:
        ordering = ["-intercept", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "case", "verdict"], name="bridging_unique")
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} {self.verdict_id}: {self.intercept:.2f}/{self.factor:.2f}"
