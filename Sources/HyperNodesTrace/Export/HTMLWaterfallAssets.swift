/// The fixed parts of the HTML waterfall page: its style sheet, its script
/// and the SVG patterns the bars share. Nothing here comes from the trace,
/// and nothing refers to the network.
enum HTMLWaterfallAssets {
    /// The style sheet. Colours are the Okabe–Ito palette, which stays
    /// distinct for the common forms of colour blindness; every state also
    /// has its own fill pattern or shape and glyph.
    static let css = """
        :root{--ok:#0072b2;--cached:#009e73;--failed:#d55e00;--unfinished:#e69f00;--cancelled:#cc79a7;\
        --fg:#1f2328;--muted:#59636e;--line:#d0d7de;--grid:#eaeef2;--hover:#f2f6fa;--lw:clamp(220px,30vw,400px);\
        --pad:28px;--lpad:8px;--rh:22px}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:#fff;color:var(--fg);font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
        "Helvetica Neue","Noto Sans",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
        .page{padding:20px 24px 40px}
        h1{font-size:20px;font-weight:650;margin:0 0 2px;letter-spacing:-.01em}
        .sub{color:var(--muted);margin:0 0 14px}
        .bar-tools{display:flex;flex-wrap:wrap;align-items:center;gap:10px 18px;margin:0 0 18px}
        .legend{display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;padding:7px 12px;border:1px solid \
        var(--line);border-radius:6px;background:#f6f8fa;font-size:12px}
        .legend>span{display:inline-flex;align-items:center;gap:6px;white-space:nowrap}
        .legend svg{width:34px;height:14px;overflow:visible}
        .legend b{font-weight:600}
        .tools{display:none;gap:6px}
        .js .tools{display:inline-flex}
        button{font:inherit;font-size:12px;color:var(--fg);background:#f6f8fa;border:1px solid var(--line);\
        border-radius:6px;padding:3px 10px;cursor:pointer}
        button:hover{background:#eef1f4}
        button:focus-visible{outline:2px solid var(--ok);outline-offset:1px}
        .runs{margin:0 0 16px;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px}
        .runs a{color:var(--ok);text-decoration:none}
        .runs a:hover{text-decoration:underline}
        .run{margin:0 0 34px}
        .run h2{display:flex;align-items:center;gap:10px;font-size:17px;font-weight:650;margin:0 0 6px}
        .badge{display:inline-flex;gap:4px;align-items:center;font-size:12px;font-weight:600;padding:1px 9px;\
        border-radius:999px;color:#fff}
        .badge.s-ok{background:var(--ok)}.badge.s-cached{background:#007a59}.badge.s-failed{background:#b34700}
        .badge.s-unfinished{background:#8a5d00}.badge.s-cancelled{background:#9c4d78}
        .facts{display:flex;flex-wrap:wrap;gap:2px 22px;margin:0 0 10px;padding:0;color:var(--muted)}
        .facts div{white-space:nowrap}
        .facts dt{display:inline}
        .facts dd{display:inline;margin:0 0 0 5px;color:var(--fg);font-variant-numeric:tabular-nums}
        .note{margin:0 0 10px;padding:6px 10px;border-left:3px solid var(--unfinished);background:#fff8e6}
        .note.bad{border-color:var(--failed);background:#fdf0e8}
        details.issues{margin:0 0 10px;color:var(--muted)}
        details.issues li{white-space:pre-wrap;word-break:break-word}
        .empty{color:var(--muted);font-style:italic;padding:10px 12px}
        .wf{border:1px solid var(--line);border-radius:6px}
        .axis{position:sticky;top:0;z-index:3;display:grid;grid-template-columns:var(--lw) 1fr;height:32px;\
        background:rgba(255,255,255,.97);border-bottom:1px solid var(--line);border-radius:6px 6px 0 0}
        .axis .cap{align-self:end;padding:0 10px 6px;color:var(--muted);font-size:11px;border-right:1px solid \
        var(--line);height:100%;display:flex;align-items:flex-end}
        .ticks{position:relative;margin:0 var(--pad) 0 var(--lpad);cursor:col-resize;user-select:none}
        .ticks .sel{position:absolute;top:2px;bottom:0;background:rgba(0,114,178,.18);border:1px solid \
        rgba(0,114,178,.6);pointer-events:none}
        .reset{display:none;margin-left:8px;padding:0 7px;font-size:11px}
        .zoomed .reset{display:inline-block}
        .zoomed .cap span::after{content:" (zoomed)"}
        .zoomed .chart{clip-path:inset(0 var(--pad) 0 var(--lpad))}
        .ticks span{position:absolute;bottom:8px;transform:translateX(-50%);font-size:11px;color:var(--muted);\
        white-space:nowrap;font-variant-numeric:tabular-nums}
        .ticks span.first{transform:translateX(3px)}
        .ticks i{position:absolute;bottom:0;height:6px;border-left:1px solid #8c959f}
        .rows{position:relative;padding:2px 0 4px}
        .grid{position:absolute;top:0;bottom:0;left:calc(var(--lw) + var(--lpad));right:var(--pad);\
        pointer-events:none;overflow:hidden}
        .grid i{position:absolute;top:0;bottom:0;border-left:1px solid var(--grid)}
        .row{position:relative;display:grid;grid-template-columns:var(--lw) 1fr;height:var(--rh)}
        .row:hover{background:var(--hover)}
        .lab{display:flex;align-items:center;gap:5px;min-width:0;white-space:nowrap;border-right:1px solid \
        var(--line);padding:0 10px 0 calc(6px + var(--d,0) * 16px)}
        .n{flex:0 1 auto;overflow:hidden;text-overflow:ellipsis;min-width:3em}
        .k-pipeline>.lab .n,.k-nested_pipeline>.lab .n{font-weight:600}
        .x{flex:1 1 0;min-width:0;overflow:hidden;text-overflow:ellipsis;color:var(--muted);font-size:12px}
        .x .bad{color:#b34700;font-weight:600}
        .t{flex:none;margin-left:auto;padding-left:10px;color:var(--muted);font-size:12px;\
        font-variant-numeric:tabular-nums}
        .g{flex:none;width:15px;text-align:center;font-size:12px}
        .g.s-ok{color:var(--ok)}.g.s-cached{color:#007a59}.g.s-failed{color:#b34700;font-weight:700}
        .g.s-unfinished{color:#8a5d00}.g.s-cancelled{color:#9c4d78}
        .tog{flex:none;width:18px;height:18px;padding:0;border:0;background:none;color:var(--muted);font-size:11px;\
        line-height:18px;border-radius:4px;visibility:hidden}
        .js .tog{visibility:visible}
        .tog:hover{background:#e6ebf0;color:var(--fg)}
        .tog::before{content:"▸"}
        .open .tog::before{content:"▾"}
        .nt{flex:none;width:18px}
        .map>.lab{cursor:pointer}
        .lane>.lab{color:var(--muted);font-size:12px}
        .chart{min-width:0;overflow:hidden;padding-left:var(--lpad)}
        svg.bar{display:block;width:calc((100% - var(--pad)) * var(--k,1));height:var(--rh);overflow:visible;\
        margin-left:calc((100% - var(--pad)) * var(--k,1) * var(--o,0) * -1)}
        .s-ok{fill:var(--ok)}
        .s-cached{fill:url(#hn-cached);stroke:var(--cached);stroke-width:1}
        .s-failed{fill:var(--failed)}
        .s-unfinished{fill:url(#hn-fade);stroke:var(--unfinished);stroke-width:1;stroke-dasharray:3 2}
        .s-cancelled{fill:#f4e4ee;stroke:var(--cancelled);stroke-width:1.5;stroke-dasharray:2 2}
        .ct{fill-opacity:.32;stroke-opacity:.5}
        .s-cached.ct,.s-unfinished.ct{fill-opacity:.55}
        .mk path{stroke:#fff;stroke-width:1}
        .mk.s-cached path{fill:var(--cached)}
        .mk.s-unfinished path{fill:var(--unfinished)}
        .fx{fill:#b34700;font-size:12px;font-weight:700}
        .extent{fill:#afb8c1}
        .dens{color:var(--ok)}.dens.s-cached{color:var(--cached)}.dens.s-failed{color:var(--failed)}
        .dens.s-unfinished{color:var(--unfinished)}.dens.s-cancelled{color:var(--cancelled)}
        .dens .area{fill:currentColor;fill-opacity:.35;stroke:currentColor;stroke-width:1.25px;\
        stroke-dasharray:none;vector-effect:non-scaling-stroke;stroke-linejoin:round}
        .fails{stroke:#b34700;stroke-width:2px;stroke-dasharray:none;vector-effect:non-scaling-stroke}
        .lane rect{stroke:#fff;stroke-width:1}
        .lane rect.thin{stroke:none}
        .lane rect.s-cancelled{stroke:var(--cancelled)}
        .agg path{stroke:none}
        .agg .s-cached{fill:var(--cached)}
        .agg .s-unfinished{fill:var(--unfinished)}
        .agg .s-cancelled{fill:var(--cancelled)}
        .agg .fails{stroke-width:3px}
        .agg .q1{fill-opacity:.3}.agg .q2{fill-opacity:.5}.agg .q3{fill-opacity:.75}
        .more{color:var(--muted);font-style:italic;padding:4px 12px}
        #hn-tip{position:fixed;z-index:10;max-width:min(520px,90vw);padding:7px 10px;border-radius:6px;\
        background:#24292f;color:#fff;font-size:12px;line-height:1.5;white-space:pre-wrap;word-break:break-word;\
        pointer-events:none;box-shadow:0 4px 14px rgba(0,0,0,.25);display:none}
        #hn-tip b{font-weight:600}
        footer{color:var(--muted);font-size:12px}
        @media print{.axis{position:static}.tools{display:none}}
        """

    /// The patterns and gradients the bars refer to, in a hidden SVG at the top of the page.
    static let definitions = """
        <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>\
        <pattern id="hn-cached" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">\
        <rect width="6" height="6" fill="#d2f0e6"/><rect width="3" height="6" fill="#009e73"/></pattern>\
        <linearGradient id="hn-fade"><stop offset="0" stop-color="#e69f00"/><stop offset=".65" \
        stop-color="#e69f00" stop-opacity=".7"/><stop offset="1" stop-color="#e69f00" stop-opacity=".08"/>\
        </linearGradient></defs></svg>
        """

    /// The script: opens a map's lanes on click (and every map's with `#expand=all` in the URL,
    /// or the maps listed as `#expand=r0m12,r0m40`), the expand and collapse buttons, and a
    /// tooltip that shows the native `title` text as soon as the pointer rests.
    static let script = """
        (function(){
        "use strict";
        var d=document;d.documentElement.classList.add("js");
        function lanesOf(id){var t=d.getElementById("lanes-"+id),out=[];if(!t)return out;
        for(var n=t.nextElementSibling;n&&n.classList.contains("lane")&&n.getAttribute("data-of")===id;\
        n=n.nextElementSibling)out.push(n);return out}
        function setOpen(row,open){var id=row.getAttribute("data-map"),t=d.getElementById("lanes-"+id);
        if(!t||row.classList.contains("open")===open)return;row.classList.toggle("open",open);
        var b=row.querySelector(".tog");if(b)b.setAttribute("aria-expanded",open?"true":"false");
        if(open)t.parentNode.insertBefore(t.content.cloneNode(true),t.nextSibling);
        else lanesOf(id).forEach(function(n){n.remove()})}
        function all(open){d.querySelectorAll(".row.map[data-map]").forEach(function(r){setOpen(r,open)})}
        function fromHash(){var m=/(?:^#|&)expand=([^&]*)/.exec(location.hash);if(!m)return;
        if(m[1]==="all"){all(true);return}
        m[1].split(",").forEach(function(id){var r=d.querySelector(".row.map[data-map=\\""+id.replace(/[^\\w-]/g,"")+"\\"]");
        if(r)setOpen(r,true)})}
        d.addEventListener("click",function(e){var x=e.target.closest("[data-expand]");
        if(x){all(x.getAttribute("data-expand")==="all");return}
        var l=e.target.closest(".row.map>.lab");if(l){var r=l.parentNode;setOpen(r,!r.classList.contains("open"))}});
        var tip=d.createElement("div");tip.id="hn-tip";tip.setAttribute("role","tooltip");d.body.appendChild(tip);
        function text(el){if(el.hasAttribute("title")){el.setAttribute("data-tip",el.getAttribute("title"));
        el.removeAttribute("title")}var c=el.querySelector(":scope>title");if(c){el.setAttribute("data-tip",c.textContent);
        c.remove()}return el.getAttribute("data-tip")}
        d.addEventListener("mouseover",function(e){var s=null;
        for(var el=e.target;el&&el.nodeType===1&&!s;el=el.parentNode)s=text(el);
        if(!s){tip.style.display="none";return}
        var i=s.indexOf("\\n");tip.textContent="";var b=d.createElement("b");b.textContent=i<0?s:s.slice(0,i);
        tip.appendChild(b);if(i>=0)tip.appendChild(d.createTextNode(s.slice(i)));tip.style.display="block";move(e)});
        function move(e){if(tip.style.display!=="block")return;var w=tip.offsetWidth,h=tip.offsetHeight;
        var x=e.clientX+14,y=e.clientY+16;if(x+w>innerWidth-8)x=Math.max(8,e.clientX-w-14);
        if(y+h>innerHeight-8)y=Math.max(8,e.clientY-h-12);tip.style.left=x+"px";tip.style.top=y+"px"}
        d.addEventListener("mousemove",move);
        d.addEventListener("mouseout",function(e){if(!e.relatedTarget)tip.style.display="none"});
        function label(ns){if(ns<=0)return"0";var u=[[1e9,"s"],[1e6,"ms"],[1e3,"µs"],[1,"ns"]];
        for(var i=0;i<3&&ns<u[i][0];i++);return String(+(ns/u[i][0]).toFixed(3))+" "+u[i][1]}
        function step(w){var m=1;for(;;){for(var f=1;f<=5;f+=f===1?1:3)if(f*m*10>=w)return f*m;m*=10}}
        function zoom(wf,a,b){var T=+wf.getAttribute("data-total"),from=a*T,to=b*T,st=step(to-from),h="",g="";
        for(var n=Math.ceil(from/st);n*st<=to;n++){var t=n*st,p=((t-from)/(to-from)*100).toFixed(3);
        h+='<i style="left:'+p+'%"></i><span'+(p<3?' class="first"':'')+' style="left:'+p+'%">'+label(t)+"</span>";
        if(t>from)g+='<i style="left:'+p+'%"></i>'}
        wf.querySelector(".ticks").innerHTML=h;wf.querySelector(".grid").innerHTML=g;
        wf.style.setProperty("--k",1/(b-a));wf.style.setProperty("--o",a);wf.setAttribute("data-zoom",a+","+b);
        wf.classList.toggle("zoomed",a>0||b<1)}
        function win(wf){var z=(wf.getAttribute("data-zoom")||"0,1").split(",");return[+z[0],+z[1]]}
        d.addEventListener("mousedown",function(e){var tr=e.button===0&&e.target.closest(".ticks");if(!tr)return;
        var wf=tr.closest(".wf"),r=tr.getBoundingClientRect(),sel=d.createElement("div");sel.className="sel";
        tr.appendChild(sel);function at(ev){return Math.min(Math.max(ev.clientX-r.left,0),r.width)}var x0=at(e);
        function mv(ev){var x=at(ev);sel.style.left=Math.min(x,x0)+"px";sel.style.width=Math.abs(x-x0)+"px"}
        function up(ev){d.removeEventListener("mousemove",mv);d.removeEventListener("mouseup",up);sel.remove();
        var x=at(ev);if(Math.abs(x-x0)<4||!r.width)return;var z=win(wf),w=z[1]-z[0];
        zoom(wf,z[0]+w*Math.min(x,x0)/r.width,z[0]+w*Math.max(x,x0)/r.width)}
        mv(e);d.addEventListener("mousemove",mv);d.addEventListener("mouseup",up);e.preventDefault()});
        d.addEventListener("dblclick",function(e){if(e.target.closest(".axis"))zoom(e.target.closest(".wf"),0,1)});
        d.addEventListener("click",function(e){if(e.target.closest("[data-reset]"))zoom(e.target.closest(".wf"),0,1)});
        fromHash();window.addEventListener("hashchange",fromHash);
        d.documentElement.setAttribute("data-ready","true");
        })();
        """
}
