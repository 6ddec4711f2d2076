from django.urls import path

from sigill.core.views import auth, pages, sign_in_locks

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("two-factor/", auth.two_factor_step, name="two_factor"),
    path("welcome/<uidb64>/<token>/", auth.FirstSignInView.as_view(), name="first_sign_in"),
    path("audit/", pages.audit_log, name="audit_log"),
    path("sign-in-waits/", sign_in_locks.sign_in_locks, name="sign_in_locks"),
    path("sign-in-waits/<int:pk>/lift/", sign_in_locks.lift_sign_in_lock, name="lift_sign_in_lock"),
    path("healthz", pages.healthz, name="healthz"),
    path("public/accessibility/", pages.accessibility_statement, name="accessibility"),
]
