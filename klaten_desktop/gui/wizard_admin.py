"""The setup wizard's page "Akun admin pertama": the first admin account of a new install, made with the office
(no default password, and no second question for it after the wizard). The fields and their rules are the first
admin dialog's (gui/accounts/dialogs.FirstAdminFields, services/accounts.check_account).

A database that already has an admin gets no such page (:func:`add_page`)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWizard, QWizardPage

from klaten_desktop.gui.accounts.dialogs import FIRST_ADMIN_NOTE, FirstAdminFields
from klaten_desktop.services import accounts
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Akun admin pertama")
        self.setSubTitle("Akun untuk masuk ke aplikasi ini. " + FIRST_ADMIN_NOTE)
        self.fields = FirstAdminFields()
        form = QFormLayout()
        for label, widget in self.fields.rows():
            form.addRow(label, widget)
            widget.textChanged.connect(self.completeChanged)
        self.issue = QLabel()
        self.issue.setWordWrap(True)
        self.issue.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.issue)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.fields.username.setFocus()

    def isComplete(self) -> bool:
        return all(widget.text() for _label, widget in self.fields.rows())

    def validatePage(self) -> bool:
        """The account service's rules, checked before going on (the account is made with the office)."""
        try:
            self.fields.check()
        except UserError as exc:
            self.issue.setText(exc.message)
            self.fields.field(exc.field).setFocus()
            return False
        self.issue.clear()
        return True


def add_page(wizard: QWizard, ctx: ServiceContext) -> AdminPage | None:
    """The page, added to ``wizard`` where it is called, when the database has no admin yet."""
    if accounts.has_admin(ctx):
        return None
    page = AdminPage()
    wizard.addPage(page)
    return page


def make_admin(page: AdminPage | None, ctx: ServiceContext, made: Actor | None) -> Actor | None:
    """At Finish: the admin of the page (once: ``made`` when an earlier Finish made it already)."""
    if page is None or made is not None:
        return made
    return page.fields.create(ctx)
