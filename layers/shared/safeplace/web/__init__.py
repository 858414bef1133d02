"""Pages and HTTP for both faces: the staff console's routers (web.console), the link pages' routers (web.link),
the forms (web.forms), page rendering, security headers, the access guard and the one map from errors to HTTP."""
