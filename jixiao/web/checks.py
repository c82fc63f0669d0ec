"""Production settings checked (``jixiao serve --check``, also in ``manage.py check --deploy``), in Chinese.

Each check names the environment variable to set (the settings table in docs/deploy.md); a production
server — HTTPS behind a reverse proxy, see docs/deploy.md §7 — passes all of them. They are Django system
checks with the ``deploy`` flag, so they stay quiet on a laptop's ``runserver`` and in the test suite.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

TAG = "jixiao_deploy"

#: CSP sources that would let injected markup run script or load from anywhere.
_UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:")


def _problem(code: int, message: str, hint: str) -> checks.Warning:
    return checks.Warning(message, hint=hint, id=f"jixiao.W{code:03d}")


def _csp_problem(policy: str) -> str | None:
    directives = [part.split() for part in policy.split(";") if part.split()]
    if not directives:
        return "未发送内容安全策略（JIXIAO_CSP 为空）"
    if not {"script-src", "default-src"} & {name for name, *_ in directives}:
        return "内容安全策略 JIXIAO_CSP 没有限制脚本来源（缺少 script-src 或 default-src）"
    sources = {source for _, *values in directives for source in values}
    unsafe = [source for source in _UNSAFE_SOURCES if source in sources]
    if unsafe:
        return f"内容安全策略 JIXIAO_CSP 允许 {'、'.join(unsafe)}，注入的内容可以运行脚本或加载外部资源"
    return None


@checks.register(TAG, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The settings a server reached by others needs: no debug pages, HTTPS kept (cookies, HSTS, proxy), CSP."""
    found: list[checks.CheckMessage] = []
    if settings.DEBUG:
        found.append(_problem(1, "调试模式已打开（JIXIAO_DEBUG）：出错时会向访问者显示程序内部信息和设置",
                              "正式运行时删除环境变量 JIXIAO_DEBUG"))
    if not settings.SESSION_COOKIE_SECURE or not settings.CSRF_COOKIE_SECURE:
        found.append(_problem(2, "会话 Cookie 未限定为 HTTPS（JIXIAO_SECURE_COOKIES 未打开）：登录状态可能经未加密的连接泄露",
                              "通过 HTTPS 提供服务，并设置 JIXIAO_SECURE_COOKIES=1"))
    if settings.SECURE_HSTS_SECONDS <= 0:
        found.append(_problem(3, "未启用 HSTS（JIXIAO_HSTS_SECONDS 为 0）：浏览器仍可能经未加密的 HTTP 访问",
                              "设置 JIXIAO_SECURE_COOKIES=1（HSTS 默认一年），或设置 JIXIAO_HSTS_SECONDS=31536000"))
    if not settings.JIXIAO_TRUSTED_PROXIES or settings.SECURE_PROXY_SSL_HEADER is None:
        found.append(_problem(4, "未设置反向代理地址（JIXIAO_TRUSTED_PROXIES）：jixiao 无法得知请求经 HTTPS 而来，"
                                 "HSTS 不会发送，登录锁定只能按代理的地址计数",
                              "设置 JIXIAO_TRUSTED_PROXIES 为 nginx 所在的地址，如 127.0.0.1（见部署指南第 7 节）"))
    csp = _csp_problem(settings.JIXIAO_CSP)
    if csp:
        found.append(_problem(5, csp, "删除环境变量 JIXIAO_CSP 以使用默认策略（只允许本站的脚本、样式和图片）"))
    if "*" in settings.ALLOWED_HOSTS:
        found.append(_problem(6, "JIXIAO_ALLOWED_HOSTS 含有 *：任何主机名都被接受（可被用来伪造密码重置等链接）",
                              "只填写访问用的主机名，如 jixiao.example.gov.cn"))
    if len(set(settings.SECRET_KEY)) < 5 or len(settings.SECRET_KEY) < 32:
        found.append(_problem(7, "会话密钥（JIXIAO_SECRET_KEY）过短或过于简单，登录会话可能被伪造",
                              "删除 JIXIAO_SECRET_KEY 以使用自动生成的密钥，或设置 50 位以上的随机字符串"))
    return found


def deploy_problems() -> list[str]:
    """The production problems as Chinese lines (message, then what to do), for ``jixiao serve --check``."""
    messages = checks.run_checks(include_deployment_checks=True, tags=[TAG])
    return [f"{m.msg}。{m.hint}（{m.id}）" for m in messages if m.level >= checks.WARNING]
