"""Password hashing: Argon2id at the parameters OWASP recommends as a minimum (19 MiB of
memory, 2 passes, 1 lane; OWASP Password Storage Cheat Sheet), rather than Django's (100 MiB,
8 lanes). A federation's server has few cores: with Django's, fifty officers logging in at
once queued for seconds (`make loadtest`, login p95 1.4 s on 2 cores); 8 lanes buy nothing on
2 cores. The algorithm is the same ("argon2"), so existing hashes still verify, and are
rehashed at these parameters at the user's next log-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
