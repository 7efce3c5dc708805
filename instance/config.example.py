# Copy to instance/config.py and adjust. The environment (DATABASE_URL, SECRET_KEY) wins over this.
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://recruit:secret@127.0.0.1/recruitment"
# UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# LOGIN_MAX_FAILURES = 5
# LOGIN_LOCKOUT_SECONDS = 900
# Behind nginx (deploy/nginx.conf): the number of proxies in front of the app; 0 when none.
# TRUSTED_PROXIES = 1
