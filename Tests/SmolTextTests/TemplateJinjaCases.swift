/// Template snippets and what transformers renders for them.
///
/// Produced by rendering each template with transformers 5.24's own
/// environment (`transformers.utils.chat_template_utils._compile_jinja_template(template)
/// .render(**context)`, jinja2 3.1.6) in the reference venv, and recorded here as
/// literals; the context is the JSON the renderer was given.
enum TemplateJinjaCases {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let template: String
        let context: String
        let expected: String
        var description: String { name }
    }

    static let all: [Case] = [
        Case(
            name: "trim_blocks",
            template: "{% if true %}\nyes\n{% endif %}\nafter",
            context: "{}",
            expected: "yes\nafter"),
        Case(
            name: "lstrip_blocks",
            template: "  {% if true %}\n  x\n  {% endif %}\n  y",
            context: "{}",
            expected: "  x\n  y"),
        Case(
            name: "lstrip_not_variables",
            template: "a\n  {{ 'v' }}\n  {# c #}\nb",
            context: "{}",
            expected: "a\n  v\nb"),
        Case(
            name: "minus_both_sides",
            template: "a   {%- if true -%}   b   {%- endif -%}   c",
            context: "{}",
            expected: "abc"),
        Case(
            name: "minus_expression",
            template: "a \n {{- 'x' -}} \n b",
            context: "{}",
            expected: "axb"),
        Case(
            name: "plus_disables_lstrip",
            template: "  {%+ if true %}x{% endif %}",
            context: "{}",
            expected: "  x"),
        Case(
            name: "plus_keeps_newline",
            template: "{% if true +%}\nx{% endif %}",
            context: "{}",
            expected: "\nx"),
        Case(
            name: "comment_trim",
            template: "a\n{# note #}\nb\n  {#- strip -#}  \nc",
            context: "{}",
            expected: "a\nbc"),
        Case(
            name: "trailing_newline_dropped",
            template: "abc\n",
            context: "{}",
            expected: "abc"),
        Case(
            name: "two_trailing_newlines",
            template: "abc\n\n",
            context: "{}",
            expected: "abc\n"),
        Case(
            name: "crlf_normalized",
            template: "a\r\nb\rc{% if true %}\r\nd{% endif %}",
            context: "{}",
            expected: "a\nb\ncd"),
        Case(
            name: "raw_block",
            template: "{% raw %}{{ x }}{% if %}{% endraw %}!",
            context: "{}",
            expected: "{{ x }}{% if %}!"),
        Case(
            name: "tab_indent_lstrip",
            template: "\t{% for i in [1,2] %}\n\t{{ i }}\n\t{% endfor %}\n",
            context: "{}",
            expected: "\t1\n\t2\n"),
        Case(
            name: "text_only_line_after_block",
            template: "{% set x = 1 %}   text",
            context: "{}",
            expected: "   text"),
        Case(
            name: "print_values",
            template: "{{ none }}|{{ true }}|{{ false }}|{{ 1 }}|{{ 1.0 }}|{{ 1.5e3 }}|{{ 0.1 + 0.2 }}|{{ 1e16 }}|{{ 1e-5 }}|{{ 100000000000000000000.0 }}",
            context: "{}",
            expected: "None|True|False|1|1.0|1500.0|0.30000000000000004|1e+16|1e-05|1e+20"),
        Case(
            name: "print_list",
            template: "{{ [1, 'a', none, true, 1.5, {'k': [2]}, \"it's\", 'say \"hi\"', 'both \\'\"'] }}",
            context: "{}",
            expected: "[1, 'a', None, True, 1.5, {'k': [2]}, \"it's\", 'say \"hi\"', 'both \\'\"']"),
        Case(
            name: "print_dict",
            template: "{{ {'a': 1, 'b': 'x\\ny', 'c': none} }}",
            context: "{}",
            expected: "{'a': 1, 'b': 'x\\ny', 'c': None}"),
        Case(
            name: "print_undefined",
            template: "[{{ missing }}]",
            context: "{}",
            expected: "[]"),
        Case(
            name: "print_context_float",
            template: "{{ x }} {{ y }} {{ z }}",
            context: "{\"x\": 3.0, \"y\": 2.5, \"z\": -0.0}",
            expected: "3.0 2.5 -0.0"),
        Case(
            name: "string_escapes",
            template: "{{ 'a\\tb\\\\c\\x41\\u00e9\\q' }}",
            context: "{}",
            expected: "a\tb\\cAé\\q"),
        Case(
            name: "adjacent_strings",
            template: "{{ 'a' 'b' \"c\" }}",
            context: "{}",
            expected: "abc"),
        Case(
            name: "int_literals",
            template: "{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }}",
            context: "{}",
            expected: "31 15 5 1000"),
        Case(
            name: "unicode_repr",
            template: "{{ ['é', '\\x00', '\\u200b', '日本'] }}",
            context: "{}",
            expected: "['é', '\\x00', '\\u200b', '日本']"),
        Case(
            name: "arith",
            template: "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7 / 2 }} {{ 6 / 3 }} {{ 1 + 2 * 3 - 4 }}",
            context: "{}",
            expected: "3 -4 1 2 -2 1024 0.5 3.5 2.0 3"),
        Case(
            name: "float_arith",
            template: "{{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 0.1 * 3 }} {{ 1 + true }} {{ true + true }}",
            context: "{}",
            expected: "3.0 0.5 0.30000000000000004 2 2"),
        Case(
            name: "string_ops",
            template: "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 2 * 'x' }} {{ 'a' ~ 1 ~ none ~ true }} {{ [1] + [2, 3] }} {{ [0] * 3 }}",
            context: "{}",
            expected: "abcd ababab xx a1NoneTrue [1, 2, 3] [0, 0, 0]"),
        Case(
            name: "unary",
            template: "{{ -3 }} {{ -(2 + 3) }} {{ +4 }} {{ -x|abs }} {{ not true }} {{ not 0 }}",
            context: "{\"x\": 5}",
            expected: "-3 -5 4 5 False True"),
        Case(
            name: "precedence_filter_minus",
            template: "{{ -1|abs }} {{ 'a' ~ 2|string }} {{ -x|abs }}",
            context: "{\"x\": 3}",
            expected: "1 a2 3"),
        Case(
            name: "pow_left_assoc",
            template: "{{ 2 ** 3 ** 2 }}",
            context: "{}",
            expected: "64"),
        Case(
            name: "percent_format",
            template: "{{ '%s and %d' % ('a', 3) }} {{ '%05.2f' % 3.14159 }} {{ '%(x)s!' % {'x': 1} }} {{ '%-4s|' % 'a' }} {{ '%x' % 255 }}",
            context: "{}",
            expected: "a and 3 03.14 1! a   | ff"),
        Case(
            name: "compare",
            template: "{{ 1 < 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' != 'b' }} {{ none == none }}",
            context: "{}",
            expected: "True True True True True True False True True"),
        Case(
            name: "in_ops",
            template: "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 'x' in missing }} {{ 1 in [1.0] }}",
            context: "{}",
            expected: "True True True True False True"),
        Case(
            name: "and_or_values",
            template: "{{ 0 or 'fallback' }} {{ 'a' and 'b' }} {{ '' and 'b' }}|{{ none or none }} {{ missing or 'd' }}",
            context: "{}",
            expected: "fallback b |None d"),
        Case(
            name: "conditional_expr",
            template: "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}] {{ 'a' if false else 'b' if true else 'c' }}",
            context: "{}",
            expected: "y n [] b"),
        Case(
            name: "dict_equality_order",
            template: "{{ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} }}",
            context: "{}",
            expected: "True"),
        Case(
            name: "tests_basic",
            template: "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ n is none }} {{ x is not none }} {{ s is string }} {{ x is number }} {{ f is number }} {{ b is number }} {{ b is boolean }} {{ d is mapping }} {{ l is mapping }}",
            context: "{\"x\": 1, \"n\": null, \"s\": \"t\", \"f\": 1.5, \"b\": true, \"d\": {}, \"l\": []}",
            expected: "True False True True True True True True True True True False"),
        Case(
            name: "tests_iterables",
            template: "{{ s is iterable }} {{ l is iterable }} {{ d is iterable }} {{ x is iterable }} {{ u is iterable }} {{ s is sequence }} {{ d is sequence }} {{ x is sequence }}",
            context: "{\"x\": 1, \"s\": \"t\", \"d\": {}, \"l\": []}",
            expected: "True True True False True True True False"),
        Case(
            name: "tests_more",
            template: "{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ true is true }} {{ 1 is true }} {{ false is false }} {{ 1 is integer }} {{ true is integer }} {{ 1.0 is float }} {{ 'ab' is lower }} {{ 'AB' is upper }} {{ 1 is eq 1 }} {{ 2 is gt 1 }} {{ 'a' is in 'abc' }} {{ none is sameas none }}",
            context: "{}",
            expected: "True True True False True False True True False True True True True True True True"),
        Case(
            name: "test_in_conditional",
            template: "{{ 'd' if x is defined else 'u' }} {{ 'd' if y is defined else 'u' }}",
            context: "{\"x\": 0}",
            expected: "d u"),
        Case(
            name: "filters_case",
            template: "{{ 'hELLO wORLD' | capitalize }}|{{ 'hello world-foo(bar [baz <q' | title }}|{{ 'MiXeD' | upper }}|{{ 'MiXeD' | lower }}",
            context: "{}",
            expected: "Hello world|Hello World-Foo(Bar [Baz <Q|MIXED|mixed"),
        Case(
            name: "filter_trim_length",
            template: "[{{ '  a b \\n' | trim }}] {{ 'héllo' | length }} {{ [1,2,3] | length }} {{ {'a':1} | count }} {{ missing | length }} [{{ 'xxaxx' | trim('x') }}]",
            context: "{}",
            expected: "[a b] 5 3 1 0 [a]"),
        Case(
            name: "filter_default",
            template: "{{ missing | default('d') }} {{ '' | default('d') }} {{ '' | default('d', true) }} {{ none | default('d') }} {{ missing | d('x') }}",
            context: "{}",
            expected: "d  d None x"),
        Case(
            name: "filter_join",
            template: "{{ [1, 'a', none] | join(', ') }} {{ ['x', 'y'] | join }} {{ users | join('/', attribute='name') }}",
            context: "{\"users\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
            expected: "1, a, None xy a/b"),
        Case(
            name: "filter_first_last_list",
            template: "{{ [3, 4] | first }} {{ [3, 4] | last }} {{ 'abc' | first }} {{ 'abc' | list }} {{ {'k': 1, 'j': 2} | list }} [{{ [] | first }}]",
            context: "{}",
            expected: "3 4 a ['a', 'b', 'c'] ['k', 'j'] []"),
        Case(
            name: "filter_string_int",
            template: "{{ 3 | string }}{{ none | string }} {{ 4.9 | int }} {{ '3.7' | int }} {{ 'z' | int }} {{ 'z' | int(7) }} {{ '0x1A' | int(0, 16) }} {{ ' 12 ' | int }} {{ '1_000' | int }} {{ 3 | float }} {{ 'x' | float }}",
            context: "{}",
            expected: "3None 4 3 0 7 26 12 1000 3.0 0.0"),
        Case(
            name: "filter_replace",
            template: "{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ 'ab' | replace('', '-') }}",
            context: "{}",
            expected: "bbb bba -a-b-"),
        Case(
            name: "filter_items_dictsort",
            template: "{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %} {% for k, v in d | dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d | dictsort(by='value', reverse=true) %}{{ k }}{{ v }}{% endfor %} {% for k, v in d | dictsort(true) %}{{ k }}{% endfor %}",
            context: "{\"d\": {\"b\": 1, \"a\": 2, \"C\": 0}}",
            expected: "b=1;a=2;C=0; a2b1C0 a2b1C0 Cab"),
        Case(
            name: "filter_indent",
            template: "[{{ 'a\\n\\nb\\n c' | indent }}] [{{ 'a\\nb' | indent(2, true) }}] [{{ 'a\\n\\nb' | indent(2, blank=true) }}] [{{ 'a\\nb' | indent('> ') }}]",
            context: "{}",
            expected: "[a\n\n    b\n     c] [  a\n  b] [a\n  \n  b] [a\n> b]"),
        Case(
            name: "filter_tojson",
            template: "{{ x | tojson }}",
            context: "{\"x\": {\"a\": [1, 2.0, \"é\\n\\\"\\\\/\", null, true, {}], \"b\": [], \"c\": \"\\u0001\\u001f\"}}",
            expected: "{\"a\": [1, 2.0, \"é\\n\\\"\\\\/\", null, true, {}], \"b\": [], \"c\": \"\\u0001\\u001f\"}"),
        Case(
            name: "filter_tojson_indent",
            template: "{{ x | tojson(indent=2) }}|{{ x | tojson(indent=4, separators=(', ', ': ')) }}",
            context: "{\"x\": {\"a\": [1, {\"k\": \"v\"}], \"b\": [], \"c\": {}}}",
            expected: "{\n  \"a\": [\n    1,\n    {\n      \"k\": \"v\"\n    }\n  ],\n  \"b\": [],\n  \"c\": {}\n}|{\n    \"a\": [\n        1, \n        {\n            \"k\": \"v\"\n        }\n    ], \n    \"b\": [], \n    \"c\": {}\n}"),
        Case(
            name: "filter_tojson_options",
            template: "{{ x | tojson(sort_keys=true) }} {{ x | tojson(ensure_ascii=true) }} {{ x | tojson(separators=(',', ':')) }} {{ 1.5 | tojson }} {{ 'x' | tojson }}",
            context: "{\"x\": {\"b\": \"é😀\", \"a\": 1}}",
            expected: "{\"a\": 1, \"b\": \"é😀\"} {\"b\": \"\\u00e9\\ud83d\\ude00\", \"a\": 1} {\"b\":\"é😀\",\"a\":1} 1.5 \"x\""),
        Case(
            name: "filter_safe_escape",
            template: "{{ '<a href=\"x\">&\\'' | safe }} {{ '<a href=\"x\">&\\'' | e }}",
            context: "{}",
            expected: "<a href=\"x\">&' &lt;a href=&#34;x&#34;&gt;&amp;&#39;"),
        Case(
            name: "filter_map_select",
            template: "{{ users | map(attribute='name') | join(',') }} {{ [1,2,3,4] | select('odd') | list }} {{ [1,2,3,4] | reject('odd') | list }} {{ users | selectattr('admin') | map(attribute='name') | list }} {{ users | rejectattr('admin') | map(attribute='name') | list }} {{ ['a','b'] | map('upper') | list }} {{ users | selectattr('name', 'equalto', 'b') | list | length }}",
            context: "{\"users\": [{\"name\": \"a\", \"admin\": true}, {\"name\": \"b\", \"admin\": false}]}",
            expected: "a,b [1, 3] [2, 4] ['a'] ['b'] ['A', 'B'] 1"),
        Case(
            name: "filter_sort_unique",
            template: "{{ [3, 1, 2] | sort }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }} {{ [3,1,2] | sort(reverse=true) }} {{ users | sort(attribute='age') | map(attribute='n') | list }} {{ ['a', 'A', 'b', 'a'] | unique | list }}",
            context: "{\"users\": [{\"n\": \"x\", \"age\": 3}, {\"n\": \"y\", \"age\": 1}]}",
            expected: "[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] [3, 2, 1] ['y', 'x'] ['a', 'b']"),
        Case(
            name: "filter_min_max_sum",
            template: "{{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }} {{ ['b', 'A'] | max }} {{ [1, 2.5] | sum }} {{ users | sum(attribute='age') }} {{ [] | max }}|",
            context: "{\"users\": [{\"age\": 3}, {\"age\": 1}]}",
            expected: "3 1 b 3.5 4 |"),
        Case(
            name: "filter_reverse_round",
            template: "{{ 'abc' | reverse }} {{ [1, 2] | reverse | list }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 3 | round }} {{ 2.1 | round(method='ceil') }} {{ 2.9 | round(0, 'floor') }} {{ -2.5 | round }}",
            context: "{}",
            expected: "cba [2, 1] 2.0 4.0 2.67 3 3.0 2.0 -2.0"),
        Case(
            name: "filter_center_wordcount_format",
            template: "[{{ 'ab' | center(7) }}] [{{ 'abc' | center(6) }}] {{ 'hello big_world 42' | wordcount }} {{ '%s-%s' | format('a', 1) }} {{ -3 | abs }}",
            context: "{}",
            expected: "[   ab  ] [ abc  ] 3 a-1 3"),
        Case(
            name: "filter_block",
            template: "{% filter upper %}hello {{ 'x' }}{% endfilter %}",
            context: "{}",
            expected: "HELLO X"),
        Case(
            name: "str_strip",
            template: "[{{ '  a  '.strip() }}] [{{ '  a  '.lstrip() }}] [{{ '  a  '.rstrip() }}] [{{ 'xxaxx'.strip('x') }}] [{{ '\\u3000a\\n'.strip() }}]",
            context: "{}",
            expected: "[a] [a  ] [  a] [a] [a]"),
        Case(
            name: "str_split",
            template: "{{ 'a b  c'.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ ' a b '.split(None, 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'a\\nb\\r\\nc'.splitlines() }} {{ ''.split() }} {{ ''.split(',') }}",
            context: "{}",
            expected: "['a', 'b', 'c'] ['a', 'b', '', 'c'] ['a', 'b,c'] ['a', 'b '] ['a,b', 'c'] ['a', 'b', 'c'] [] ['']"),
        Case(
            name: "str_affixes",
            template: "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ 'hello'.endswith('x') }}",
            context: "{}",
            expected: "True True True False"),
        Case(
            name: "str_case_methods",
            template: "{{ 'hello wORLD 1st'.title() }} {{ 'hello'.upper() }} {{ 'HeLLo'.lower() }} {{ 'hELLO'.capitalize() }} {{ \"they're bill's\".title() }}",
            context: "{}",
            expected: "Hello World 1St HELLO hello Hello They'Re Bill'S"),
        Case(
            name: "str_misc_methods",
            template: "{{ 'a-b-c'.replace('-', '+') }} {{ 'banana'.find('an') }} {{ 'banana'.rfind('an') }} {{ 'banana'.count('a') }} {{ ', '.join(['x', 'y']) }} {{ '42'.isdigit() }} {{ 'ab'.isalpha() }} {{ '7'.zfill(3) }} {{ '{} and {}'.format('a', 'b') }} {{ '{0}{name}'.format('x', name='y') }}",
            context: "{}",
            expected: "a+b+c 1 3 3 x, y True True 007 a and b xy"),
        Case(
            name: "str_index_slice",
            template: "{{ s[0] }} {{ s[-1] }} {{ s[1:] }} {{ s[:-1] }} {{ s[::-1] }} {{ s[::2] }} {{ s[10:] }}| {{ s[-100:2] }}",
            context: "{\"s\": \"héllo\"}",
            expected: "h o éllo héll olléh hlo | hé"),
        Case(
            name: "list_index_slice",
            template: "{{ l[0] }} {{ l[-1] }} {{ l[1:] }} {{ l[::-1] }} {{ l[1:3] }} {{ l[5] }}| {{ l[-2:] }} {{ l[:0] }} {{ l.index(3) }} {{ l.count(2) }}",
            context: "{\"l\": [1, 2, 3, 4]}",
            expected: "1 4 [2, 3, 4] [4, 3, 2, 1] [2, 3] | [3, 4] [] 2 1"),
        Case(
            name: "dict_methods",
            template: "{% for k, v in d.items() %}{{ k }}:{{ v }} {% endfor %}{{ d.keys() | list }} {{ d.values() | list }} {{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {{ d['a'] }} {{ d.a }} [{{ d.z }}] [{{ d['z'] }}]",
            context: "{\"d\": {\"a\": 1, \"b\": 2}}",
            expected: "a:1 b:2 ['a', 'b'] [1, 2] 1 None 5 1 1 [] []"),
        Case(
            name: "attribute_item_fallback",
            template: "{{ m.content }}|{{ m['role'] }}|{{ m.items | default('none') is defined }}|[{{ s.nope }}]|[{{ n['x'] }}]|[{{ 5['x'] }}]|[{{ l.x }}]",
            context: "{\"m\": {\"role\": \"user\", \"content\": \"hi\"}, \"s\": \"str\", \"n\": null, \"l\": [1]}",
            expected: "hi|user|True|[]|[]|[]|[]"),
        Case(
            name: "string_item_type",
            template: "[{{ 'abc'[0]['type'] }}]",
            context: "{}",
            expected: "[]"),
        Case(
            name: "dotted_int_index",
            template: "{{ l.0 }} {{ l.1.k }}",
            context: "{\"l\": [\"a\", {\"k\": \"v\"}]}",
            expected: "a v"),
        Case(
            name: "loop_vars",
            template: "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
            context: "{}",
            expected: "1032TrueFalse3;2121FalseFalse3;3210FalseTrue3;"),
        Case(
            name: "loop_prev_next_cycle",
            template: "{% for x in [1, 2, 3] %}[{{ loop.previtem }}|{{ loop.nextitem }}|{{ loop.cycle('o', 'e') }}]{% endfor %}",
            context: "{}",
            expected: "[|2|o][1|3|e][2||o]"),
        Case(
            name: "loop_else",
            template: "{% for x in [] %}x{% else %}empty{% endfor %} {% for x in [1] %}{{ x }}{% else %}empty{% endfor %}",
            context: "{}",
            expected: "empty 1"),
        Case(
            name: "loop_string_chars",
            template: "{% for c in 'abc' %}<{{ c }}>{% endfor %}",
            context: "{}",
            expected: "<a><b><c>"),
        Case(
            name: "loop_dict_keys",
            template: "{% for k in {'x': 1, 'y': 2} %}{{ k }}{% endfor %}",
            context: "{}",
            expected: "xy"),
        Case(
            name: "loop_unpack",
            template: "{% for a, b in [[1, 2], [3, 4]] %}{{ a }}-{{ b }} {% endfor %}{% for (a, b) in [['x', 'y']] %}{{ a }}{{ b }}{% endfor %}",
            context: "{}",
            expected: "1-2 3-4 xy"),
        Case(
            name: "loop_filter",
            template: "{% for x in range(10) if x is odd %}{{ x }}{{ ',' if not loop.last }}{% endfor %}",
            context: "{}",
            expected: "1,3,5,7,9"),
        Case(
            name: "loop_break_continue",
            template: "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}",
            context: "{}",
            expected: "0134"),
        Case(
            name: "loop_nested",
            template: "{% for i in [1, 2] %}{% for j in ['a', 'b'] %}{{ i }}{{ j }}{{ loop.index }}{% endfor %}({{ loop.index }}){% endfor %}",
            context: "{}",
            expected: "1a11b2(1)2a12b2(2)"),
        Case(
            name: "loop_undefined_iterates_nothing",
            template: "[{% for x in missing %}{{ x }}{% endfor %}]",
            context: "{}",
            expected: "[]"),
        Case(
            name: "range_forms",
            template: "{{ range(3) | list }} {{ range(1, 4) | list }} {{ range(10, 0, -3) | list }} {{ range(0) | list }}",
            context: "{}",
            expected: "[0, 1, 2] [1, 2, 3] [10, 7, 4, 1] []"),
        Case(
            name: "set_scoping",
            template: "{% set x = 5 %}{% for i in [1, 2] %}[{{ x }}]{% set x = i %}[{{ x }}]{% endfor %}[{{ x }}]",
            context: "{}",
            expected: "[5][1][5][2][5]"),
        Case(
            name: "set_in_if_leaks",
            template: "{% if true %}{% set y = 1 %}{% endif %}{{ y }}",
            context: "{}",
            expected: "1"),
        Case(
            name: "namespace",
            template: "{% set ns = namespace(count=0, found=false) %}{% for i in [1, 2, 3] %}{% set ns.count = ns.count + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }} [{{ ns.missing }}]",
            context: "{}",
            expected: "6 True []"),
        Case(
            name: "set_tuple_unpack",
            template: "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = 1, 2 %}{{ t | join(',') }}{{ t | length }}",
            context: "{}",
            expected: "121,22"),
        Case(
            name: "set_block",
            template: "{% set x %}Hello {{ 'W' }}!{% endset %}[{{ x }}]{% set y | upper %}abc{% endset %}{{ y }}",
            context: "{}",
            expected: "[Hello W!]ABC"),
        Case(
            name: "with_block",
            template: "{% with a = 1, b = 'x' %}{{ a }}{{ b }}{% endwith %}[{{ a }}]",
            context: "{}",
            expected: "1x[]"),
        Case(
            name: "macro",
            template: "{% macro greet(name, greeting='Hi') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('A') }} {{ greet('B', 'Yo') }} {{ greet(name='C', greeting='Hey') }}",
            context: "{}",
            expected: "Hi, A! Yo, B! Hey, C!"),
        Case(
            name: "macro_sees_globals",
            template: "{% set top = 'T' %}{% macro m() %}{{ top }}{{ ctx }}{% endmacro %}{% for i in [1] %}{{ m() }}{% endfor %}",
            context: "{\"ctx\": \"C\"}",
            expected: "TC"),
        Case(
            name: "dict_global",
            template: "{{ dict(a=1, b=2) }} {{ dict({'x': 1}, y=2) }}",
            context: "{}",
            expected: "{'a': 1, 'b': 2} {'x': 1, 'y': 2}"),
        Case(
            name: "generation_block",
            template: "{% for m in messages %}{% generation %}[{{ m }}]{% endgeneration %}{% endfor %}",
            context: "{\"messages\": [\"a\", \"b\"]}",
            expected: "[a][b]"),
        Case(
            name: "hf_idiom_system",
            template: "{%- if messages[0]['role'] == 'system' -%}{%- set system_message = messages[0]['content'] -%}{%- set loop_messages = messages[1:] -%}{%- else -%}{%- set loop_messages = messages -%}{%- endif -%}{{ system_message | default('none') }}|{% for m in loop_messages %}{{ m.role }}{% endfor %}",
            context: "{\"messages\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"U\"}]}",
            expected: "S|user"),
        Case(
            name: "hf_idiom_tools",
            template: "{%- if tools %}T{{ tools | length }}{% for t in tools %}{{ t | tojson }}{% endfor %}{%- endif %}|{{ tools is none }}",
            context: "{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"object\"}}}]}",
            expected: "T1{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"object\"}}}|False"),
        Case(
            name: "hf_idiom_content_string_or_list",
            template: "{% for m in messages %}{% if m.content is string %}S:{{ m.content }}{% else %}{% for c in m.content %}{% if c.type == 'text' %}T:{{ c.text }}{% elif c.type == 'image' %}<img>{% endif %}{% endfor %}{% endif %};{% endfor %}",
            context: "{\"messages\": [{\"role\": \"u\", \"content\": \"plain\"}, {\"role\": \"u\", \"content\": [{\"type\": \"image\"}, {\"type\": \"text\", \"text\": \"x\"}]}]}",
            expected: "S:plain;<img>T:x;"),
        Case(
            name: "hf_idiom_strip_reasoning",
            template: "{{ (content.split('</think>')[-1]).lstrip('\\n') }}|{{ content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}",
            context: "{\"content\": \"<think>\\nhmm\\n</think>\\n\\nanswer\"}",
            expected: "answer|hmm"),
        Case(
            name: "hf_idiom_raise_ok",
            template: "{% if messages | length > 0 %}ok{% else %}{{ raise_exception('no messages') }}{% endif %}",
            context: "{\"messages\": [1]}",
            expected: "ok"),
        Case(
            name: "bos_eos",
            template: "{{ bos_token }}x{{ eos_token }}",
            context: "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}",
            expected: "<s>x</s>"),
        Case(
            name: "multiline_expression",
            template: "{{\n  'a'\n  ~\n  'b'\n}}",
            context: "{}",
            expected: "ab"),
        Case(
            name: "nested_braces_in_expression",
            template: "{{ {'a': {'b': 1}}['a'] }}",
            context: "{}",
            expected: "{'b': 1}"),
        Case(
            name: "tuples",
            template: "{{ (1, 2) }} {{ (1,) }} {{ () }} {{ {'a': 1}.items() | list }} {{ (1, 2) == [1, 2] }} {{ (1, 2) + (3,) }} {{ '%s-%s' % ('a', 'b') }} {{ 'x'.partition('y') }}",
            context: "{}",
            expected: "(1, 2) (1,) () [('a', 1)] False (1, 2, 3) a-b ('x', '', '')"),
        Case(
            name: "generators_truthy",
            template: "{% if [] | select %}T{% else %}F{% endif %} {% if [] | select | list %}T{% else %}F{% endif %} {{ x | select | first }} {{ x | reverse | list }} {{ x | map('string') | join('+') }}",
            context: "{\"x\": [0, 1, 2]}",
            expected: "T F 1 [2, 1, 0] 0+1+2"),
        Case(
            name: "generator_consumed",
            template: "{% set g = x | select %}{% for a in g %}{{ a }}{% endfor %};{% for a in g %}{{ a }}{% endfor %};{{ 1 in x | select }}",
            context: "{\"x\": [1, 2]}",
            expected: "12;;True"),
        Case(
            name: "int_keys",
            template: "{% set d = {0: 'zero', 512: 'b', true: 'one'} %}{{ d[512] }} {{ d[0] }} {{ d[1] }} {{ d }} {{ d | tojson }} {% for k, v in {2: 'x', 1: 'y'} | dictsort %}{{ k }}{{ v }}{% endfor %}",
            context: "{}",
            expected: "b zero one {0: 'zero', 512: 'b', True: 'one'} {\"0\": \"zero\", \"512\": \"b\", \"true\": \"one\"} 1y2x"),
        Case(
            name: "call_block",
            template: "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ name }}{% endcall %} {% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}",
            context: "{\"name\": \"N\"}",
            expected: "<b>bold N</b> [1][2]"),
        Case(
            name: "splats_varargs",
            template: "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }} {{ range(*[1, 4]) | list }} {{ dict(**{'a': 1}) }}",
            context: "{}",
            expected: "1(2, 3){'k': 4} [1, 2, 3] {'a': 1}"),
        Case(
            name: "unknown_filter_guarded",
            template: "{% if false %}{{ x | from_json }}{% endif %}{{ 'ok' if true else y | nosuch }}",
            context: "{}",
            expected: "ok"),
        Case(
            name: "float_parity_tests",
            template: "{{ 4.5 is even }} {{ 2.0 is even }} {{ 3.0 is odd }}",
            context: "{}",
            expected: "False True True"),
    ]
}
