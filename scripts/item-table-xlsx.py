#!/usr/bin/env python3
"""Writes examples/items/item-table.xlsx from item-table.csv (the same sheet as an Excel
workbook, for people who fill the template in Excel or WPS), and the test fixture
bindings/wasm/tests/fixtures/schools.xlsx from schools.csv with Chinese headers and values.
Needs openpyxl; run again after editing either CSV. The CLI tests check that each workbook
reads as its CSV."""
import csv
import datetime
import pathlib

import openpyxl

root = pathlib.Path(__file__).resolve().parent.parent / "examples" / "items"
rows = list(csv.reader((root / "item-table.csv").open(encoding="utf-8")))
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "事项"
for r, row in enumerate(rows, 1):
    for c, value in enumerate(row, 1):
        cell = sheet.cell(row=r, column=c)
        header = rows[0][c - 1]
        if r > 1 and header.endswith("日期") and value:
            cell.value = datetime.date.fromisoformat(value)  # a real Excel date cell
            cell.number_format = "yyyy-mm-dd"
        elif r > 1 and header.startswith("每名教师用时") and value:
            cell.value = float(value)  # a number cell
        else:
            cell.value = value or None
book.save(root / "item-table.xlsx")

# The schools fixture as a clerk's sheet: Chinese headers, Chinese values, numbers as numbers.
fixtures = root.parent.parent / "bindings" / "wasm" / "tests" / "fixtures"
rows = list(csv.reader((fixtures / "schools.csv").open(encoding="utf-8")))
headers = {"school_id": "学校编号", "name": "学校名称", "county": "县区", "urban_rural": "城乡",
           "stage": "学段", "ownership": "办学性质", "teachers": "教师数", "sample_point": "是否样本点"}
values = {"urban": "城镇", "rural": "乡村", "primary": "小学", "junior": "初中", "senior": "高中",
          "nine_year": "九年一贯制", "complete": "完全中学", "public": "公办", "private": "民办",
          "true": "是", "false": "否"}
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "学校"
sheet.append([headers[h] for h in rows[0]])
for row in rows[1:]:
    sheet.append([int(v) if h == "teachers" else values.get(v, v) for h, v in zip(rows[0], row)])
book.save(fixtures / "schools.xlsx")
