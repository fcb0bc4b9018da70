"""Words of this field kept whole in the site's Chinese search: an MkDocs hook.

mkdocs-material cuts Chinese text into words with jieba when it builds the search index, and a reader's
query is matched against those words. jieba's own dictionary cuts 售后服务管理师 into 售后服务 / 管理 / 师,
so a search for 管理师 matched every page with 管理 (a stranger's trial: the top results never said
管理师; with the word added, 35 results instead of 130–150, the pages that say 管理师 first among them).
The words below are added to jieba's dictionary before any page is indexed. (The page's own query
segmentation still splits a query as long as the word itself, so the results are not only those.)

Standard library only (jieba, mkdocs-material's dependency, is used when it is there): generator/output/site/project.py
copies this file next to each generated mkdocs.yml, so the project in an output folder builds with plain MkDocs.
"""
from __future__ import annotations

WORDS = ("管理师",)  # as the standard and the guide say it; the search then finds it as a word


def on_config(config):
    try:
        import jieba
    except ImportError:
        return config
    for word in WORDS:
        jieba.add_word(word)
        jieba.suggest_freq(word, tune=True)  # frequent enough to win over the dictionary's own cut (加/分项)
    return config
