"""Signing in to the console as a person does: the console's sign-in, the (local) hosted sign-in page, back."""

import html
import re

import requests


def signed_in(runtime, user: str, next_path: str = "/staff") -> requests.Session:
    return sign_in(runtime, user, next_path)[0]


def sign_in(runtime, user: str, next_path: str = "/staff") -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    page = session.get(f"{runtime.base_url}/staff/sign-in", params={"next": next_path}, timeout=10)
    assert "/_local/cognito/oauth2/authorize" in page.url, page.url
    forms = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S)
    action, inner = next(f for f in forms if f'value="{user}"' in f[1])
    fields = {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', inner)}
    landed = session.post(f"{runtime.base_url}{action}", data=fields, timeout=10)
    assert landed.status_code == 200, landed.text
    return session, landed


def csrf_token(page_html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert found, "the page has no CSRF token"
    return found.group(1)
