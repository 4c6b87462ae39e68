package main

import (
	"slices"
	"testing"
)

func TestPolishForms(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Wenezuela", []string{"Wenezueli", "Wenezuelę", "Wenezuelą"}},
		{"Stany Zjednoczone", []string{"Stanów Zjednoczonych", "Stanach Zjednoczonych", "Stanom Zjednoczonym"}},
		{"Kolumbia", []string{"Kolumbii", "Kolumbię"}},
		{"Rosja", []string{"Rosji", "Rosję"}},
		{"Korea Północna", []string{"Korei Północnej", "Koreę Północną"}},
		{"Iran", []string{"Iranu", "Iranie", "Iranem"}},
		{"Egipt", []string{"Egiptu", "Egipcie"}},
		{"Irak", []string{"Iraku", "Irakiem"}},
		{"Polska", []string{"Polski", "Polsce"}},
		{"Chiny", []string{"Chin", "Chinach"}},
		{"Wielka Brytania", []string{"Wielkiej Brytanii", "Wielką Brytanię"}},
		{"Arabia Saudyjska", []string{"Arabii Saudyjskiej"}},
		{"Zjednoczone Emiraty Arabskie", []string{"Zjednoczonych Emiratów Arabskich"}},
		{"Demokratyczna Republika Konga", []string{"Demokratycznej Republiki Konga"}},
	}
	for _, tt := range tests {
		got := polishForms(tt.name)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("polishForms(%q) = %q, missing %q", tt.name, got, w)
			}
		}
		if slices.Contains(got, tt.name) {
			t.Errorf("polishForms(%q) repeats the nominative", tt.name)
		}
	}
}
