"The package, built from settings.ini (nbdev 2's layout): metadata, dependencies, extras, entry points, package data."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]
lib = cfg["lib_name"]
words = lambda key: cfg.get(key, "").split()
licenses = {"apache2": ("Apache-2.0", "License :: OSI Approved :: Apache Software License")}
lic = licenses[cfg["license"]]
statuses = ["1 - Planning", "2 - Pre-Alpha", "3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature", "7 - Inactive"]

setuptools.setup(
    name=lib, version=cfg["version"], description=cfg["description"],
    long_description=open("README.md", encoding="utf-8").read(), long_description_content_type="text/markdown",
    author=cfg["author"], author_email=cfg["author_email"], license=lic[0], keywords=cfg["keywords"],
    url=cfg["git_url"], project_urls={"Repository": cfg["git_url"], "Documentation": cfg["doc_host"] + cfg["doc_baseurl"]},
    classifiers=["Development Status :: " + statuses[int(cfg["status"]) - 1], "Intended Audience :: " + cfg["audience"],
                 lic[1], "Natural Language :: " + cfg["language"], "Programming Language :: Python :: 3 :: Only"],
    python_requires=">=" + cfg["min_python"],
    packages=setuptools.find_packages(include=[lib, f"{lib}.*"]),
    package_data={lib: words("package_data")}, include_package_data=True, zip_safe=False,
    install_requires=words("requirements"),
    extras_require={"dev": words("dev_requirements"), "app": words("app_requirements")},
    entry_points={"console_scripts": words("console_scripts"),
                  "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
                  f"{lib}.swappers": words("swappers"),
                  f"{lib}.encoders": words("encoders")},
)
