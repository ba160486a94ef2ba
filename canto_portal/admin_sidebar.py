"""The back office's list of apps and models written in Python: Django's admin/app_list.html
tests the request's path three times for each of thirty models, and on a change list rendered
afresh it took a sixth of the page's time; on the index it took a third. The same markup as
the template, as nav_sidebar.html includes it (without change links) and index.html (with
them)."""

from urllib.parse import quote

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from canto_portal.escaping import escape


def app_list(apps: list[dict], path: str, *, show_changelinks: bool = False) -> SafeString:
    """admin/app_list.html with `app_list=apps` and `show_changelinks`, for a request to
    `path`."""
    if not apps:
        return SafeString(
            "\n\n\n  <p>" + _("You don’t have permission to view or edit anything.") + "</p>\n\n"
        )
    # The template's `request.path|urlencode`.
    current = quote(path, safe="/")
    # A template's {% translate 'constant' %} is written as it is, unescaped.
    heads = (_("Model name"), _("Add link"), _("Change or view list link"))
    written = ["\n\n\n  "]
    for app in apps:
        label = escape(app["app_label"])
        written.append(
            f'\n    <div class="app-{label} module'
            f'{" current-app" if str(app["app_url"]) in current else ""}">\n'
            "      <table>\n"
            "        <caption>\n"
            f'          <a href="{escape(app["app_url"])}" class="section">'
            f"{escape(app['name'])}</a>\n"
            "        </caption>\n"
            '        <thead class="visually-hidden">\n'
            "          <tr>\n"
            f'            <th scope="col">{heads[0]}</th>\n'
            f'            <th scope="col">{heads[1]}</th>\n'
            f'            <th scope="col">{heads[2]}</th>\n'
            "          </tr>\n"
            "        </thead>\n"
            "        "
        )
        for model in app["models"]:
            written.append(model_row(model, label, current, show_changelinks))
        written.append("\n      </table>\n    </div>\n  ")
    written.append("\n\n")
    return SafeString("".join(written))


def model_row(model: dict, label: str, current: str, show_changelinks: bool) -> str:
    name = escape(str(model["object_name"]).lower())
    admin_url = model.get("admin_url")
    add_url = model.get("add_url")
    # `None in path` is false in a template's {% if %}, as a missing address is here.
    here = admin_url is not None and str(admin_url) in current
    if admin_url:
        current_page = ' aria-current="page"' if here else ""
        shown = (
            f'\n                  <a href="{escape(admin_url)}"{current_page}>'
            f"{escape(model['name'])}</a>\n"
            "                "
        )
    else:
        shown = f"\n                  {escape(model['name'])}\n                "
    if add_url:
        add = (
            f'\n                <td><a href="{escape(add_url)}" class="addlink" '
            f'aria-describedby="{label}-{name}">{_("Add")}</a></td>\n'
            "              "
        )
    else:
        add = "\n                <td></td>\n              "
    change = ""
    if admin_url and show_changelinks:
        view_only = model.get("view_only")
        kind, text = ("viewlink", _("View")) if view_only else ("changelink", _("Change"))
        change = (
            "\n                \n"
            f'                  <td><a href="{escape(admin_url)}" class="{kind}" '
            f'aria-describedby="{label}-{name}">{text}</a></td>\n'
            "                \n              "
        )
    elif show_changelinks:
        change = "\n                <td></td>\n              "
    return (
        "\n          \n"
        f'            <tr class="model-{name}{" current-model" if here else ""}">\n'
        f'              <th scope="row" id="{label}-{name}">\n'
        f"                {shown}\n"
        "              </th>\n\n"
        f"              {add}\n\n"
        f"              {change}\n"
        "            </tr>\n"
        "          \n"
        "        "
    )
