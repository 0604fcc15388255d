"""Two-step verification: logging in asks for a code from an authenticator app (RFC 6238)
after the password, for the users who turned it on in their account."""

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import totp, twofactor
from .forms_2fa import CodeForm, PasswordForm, RecoveryForm
from .models import TotpDevice
from .users import user_of

PENDING = "2fa_user"  # session key of a log-in waiting for its code
PENDING_SECONDS = 5 * 60
MAX_WRONG_CODES = 5


def confirmed_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def accept_code(device: TotpDevice, code: str) -> bool:
    """Whether `code` is good for `device` now; the step it belongs to is then spent (the
    update is conditional, so two requests cannot both spend the same code)."""
    step = totp.match_step(device.secret, code, after=device.last_step)
    if step is None:
        return False
    spent = (
        TotpDevice.objects.filter(pk=device.pk)
        .filter(Q(last_step__isnull=True) | Q(last_step__lt=step))
        .update(last_step=step)
    )
    if spent:
        device.last_step = step
    return bool(spent)


class TwoFactorLoginView(LoginView):
    """Django's log-in (the password goes through AuthenticationForm, so django-axes counts
    failures as before); a user with two-step verification on is not logged in yet but sent
    to the code page."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "pk": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "wrong": 0,
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return pending


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the user's authenticator app, or one of
    their recovery codes (`?recovery=1`) when the phone is lost."""
    pending = _pending(request)
    user = None
    if pending is not None:
        user = get_user_model().objects.filter(pk=pending["pk"], is_active=True).first()
    device = confirmed_device(user) if user is not None else None
    if pending is None or user is None or device is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("The log-in has expired. Please log in again."))
        return redirect("login")
    recovery = request.GET.get("recovery") == "1"
    form: CodeForm | RecoveryForm = (RecoveryForm if recovery else CodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if (
            twofactor.recovery_code_use(actor=user, device=device, code=code)
            if recovery
            else accept_code(device, code)
        ):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            if recovery:
                left = len(TotpDevice.objects.get(pk=device.pk).recovery_codes)
                messages.warning(
                    request,
                    _("You logged in with a recovery code; %(left)s are left. If your phone is "
                      "lost, turn two-step verification off and on again with a new phone.")
                    % {"left": left},
                )  # fmt: skip
            return HttpResponseRedirect(
                pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
            )
        # A wrong code counts as a failed log-in for django-axes too (per user name and
        # address), so that starting over does not give unlimited guesses.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        pending["wrong"] = int(pending.get("wrong", 0)) + 1
        if pending["wrong"] >= MAX_WRONG_CODES:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes. Please log in again."))
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error("code", _("The code is wrong or has already been used."))
    return render(request, "core/login_code.html", {"form": form, "recovery": recovery})


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The new recovery codes, shown this once."""
    return render(request, "core/twofactor_codes.html", {"codes": codes})


def _password_ok(request: HttpRequest, user: Any, form: PasswordForm) -> bool:
    """Whether the form holds the user's password, checked as a log-in is (django-axes counts
    a wrong one and refuses while the user is locked out), so that a session left open does
    not allow unlimited guesses."""
    if not form.is_valid():
        return False
    checked = authenticate(request, username=user.get_username(),
                           password=form.cleaned_data["password"])  # fmt: skip
    if checked is not None and checked.pk == user.pk:
        return True
    form.add_error("password", _("The password is wrong."))
    return False


def _setup_page(
    request: HttpRequest,
    device: TotpDevice,
    code_form: CodeForm | None = None,
    off_form: PasswordForm | None = None,
    codes_form: PasswordForm | None = None,
) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "core/twofactor_setup.html",
        {
            "device": device,
            "is_on": device.confirmed_at is not None,
            "secret": totp.grouped(device.secret),
            "uri": totp.provisioning_uri(device.secret, user.get_username()),
            "code_form": code_form or CodeForm(),
            "off_form": off_form or PasswordForm(prefix="off"),
            "codes_form": codes_form or PasswordForm(prefix="codes"),
            "codes_left": len(device.recovery_codes),
        },
    )


@login_required
@never_cache
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Turning two-step verification on: a new secret to add to an authenticator app, then a
    code from the app to confirm it; once on, the page says so and offers to turn it off."""
    user = user_of(request)
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.new_secret()}
    )
    code_form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and device.confirmed_at is None and code_form.is_valid():
        if accept_code(device, code_form.cleaned_data["code"]):
            codes = twofactor.turn_on(actor=user, device=device)
            messages.success(request, _("Two-step verification is on."))
            return _codes_page(request, codes)
        code_form.add_error("code", _("The code is wrong or has already been used."))
    return _setup_page(request, device, code_form=code_form)


@login_required
@require_POST
def twofactor_disable(request: HttpRequest) -> HttpResponse:
    """Turning two-step verification off, after the user's password."""
    user = user_of(request)
    device = confirmed_device(user)
    if device is None:
        return redirect("twofactor_setup")
    form = PasswordForm(request.POST, prefix="off")
    if _password_ok(request, user, form):
        twofactor.turn_off(actor=user, device=device)
        messages.success(request, _("Two-step verification is off."))
        return redirect("twofactor_setup")
    return _setup_page(request, device, off_form=form)


@login_required
@require_POST
@never_cache
def twofactor_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after the user's password."""
    user = user_of(request)
    device = confirmed_device(user)
    if device is None:
        return redirect("twofactor_setup")
    form = PasswordForm(request.POST, prefix="codes")
    if _password_ok(request, user, form):
        return _codes_page(request, twofactor.recovery_codes_issue(actor=user, device=device))
    return _setup_page(request, device, codes_form=form)
